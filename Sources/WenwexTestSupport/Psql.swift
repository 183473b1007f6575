public import Foundation

/// PostgreSQL's own client, `psql`, as a person would run it with the credentials Wenwex
/// handed out: the access tests check that the database itself (not Wenwex) refuses what a
/// role must not do.
public struct Psql: Sendable {
    /// The database URL without its user (`postgresql://127.0.0.1:PORT/DB`), host and port
    /// taken from a ``SharedPostgres`` URL.
    public var host: String
    public var port: Int
    public var database: String

    /// Reads host, port and database from a `postgresql://user@host:port/db?…` URL.
    public init(url: String) {
        let components = URLComponents(string: url)
        host = components?.host ?? "127.0.0.1"
        port = components?.port ?? 5432
        database = String((components?.path ?? "/postgres").dropFirst())
    }

    /// The `psql` beside the newest Debian server, else the one on `PATH`.
    public static let command: [String] = {
        let beside = PostgresAvailability.debianInstallations.last.map { "\($0)/bin/psql" }
        if let beside, FileManager.default.isExecutableFile(atPath: beside) { return [beside] }
        return ["/usr/bin/env", "psql"]
    }()

    /// Runs `sql` as `user` with `password` (never prompting), stopping at the first error.
    public func run(_ sql: String, user: String, password: String?) async throws -> ChildProcess.Outcome {
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = password
        environment["PGCONNECT_TIMEOUT"] = "10"
        let arguments = [
            "-X", "-w", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", String(port), "-U", user, "-d",
            database, "-c", sql,
        ]
        return try await ChildProcess.run(
            Self.command[0],
            Self.command.dropFirst() + arguments,
            environment: environment
        )
    }
}
