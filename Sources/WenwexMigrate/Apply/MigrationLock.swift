import Foundation
public import WenwexSQL

/// Another process held the migration lock for too long.
public struct MigrationLockTimeout: Error, Sendable, CustomStringConvertible {
    public var waited: Duration

    public var description: String {
        """
        another process has held the migration lock for \(waited) (a deploy still running, or stuck)
          fix: wait for the other deploy to finish; a stuck one releases the lock when its connection closes
        """
    }
}

/// The database-wide lock that makes concurrent deploys apply each migration exactly once.
///
/// PostgreSQL: a session-level advisory lock (the key Prisma uses, so Prisma and Wenwex
/// deploys exclude each other too), released on unlock or when the connection drops, so a
/// killed deploy never leaves it held. SQLite: every migration runs in a `BEGIN IMMEDIATE`
/// transaction that re-reads the history first, which serializes writers by itself.
public enum MigrationLock {
    /// Prisma Migrate's advisory lock key.
    public static let advisoryKey = 72_707_369

    public static func withLock<Result: Sendable>(
        _ session: any SQLSession,
        timeout: Duration = .seconds(60),
        _ body: () async throws -> Result
    ) async throws -> Result {
        guard session.dialect == .postgres else { return try await body() }
        let clock = ContinuousClock()
        let start = clock.now
        while true {
            let acquired = try await session.query("SELECT pg_try_advisory_lock($1)", [.integer(advisoryKey)])
            if case .bool(true) = acquired.first?.values.first { break }
            guard clock.now - start < timeout else { throw MigrationLockTimeout(waited: clock.now - start) }
            try await Task.sleep(for: .milliseconds(100))
        }
        do {
            let result = try await body()
            _ = try? await session.query("SELECT pg_advisory_unlock($1)", [.integer(advisoryKey)])
            return result
        } catch {
            _ = try? await session.query("SELECT pg_advisory_unlock($1)", [.integer(advisoryKey)])
            throw error
        }
    }
}
