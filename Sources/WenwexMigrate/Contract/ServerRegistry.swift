import Foundation
public import WenwexSQL

/// The servers running against a database, each with the migration head it was built for
/// (the last migration in its folder), kept in `_wenwex_servers` by the servers themselves.
///
/// A contract migration removes what older releases still read, so `migrate deploy --contract`
/// asks this table which servers are still running (seen within a liveness window: a server
/// that was killed stops reporting and ages out) and refuses while one of them was built
/// without every migration before the contract. The table lives in the database because that
/// is the one place every server and every deploy already reach.
public struct ServerRegistry: Sendable {
    public static let tableName = "_wenwex_servers"

    /// One running server.
    public struct Server: Sendable, Hashable, CustomStringConvertible {
        /// Host, process and a random suffix: unique per process.
        public var instance: String
        /// The last migration the server's build shipped with; `nil` for a build with none.
        public var migrationHead: String?
        /// How long ago it last reported.
        public var seenAgo: Duration

        public var description: String {
            "\(instance) (built for \(migrationHead ?? "no migrations"), seen \(seenAgo.components.seconds) s ago)"
        }
    }

    public let session: any SQLSession

    public init(_ session: any SQLSession) {
        self.session = session
    }

    /// Creates the table when it does not exist yet. `migrate deploy` does, as the migrator,
    /// so a server whose role may not run DDL only ever writes rows.
    public func prepare() async throws {
        let timestamp =
            session.dialect == .postgres
            ? "TIMESTAMPTZ NOT NULL DEFAULT now()" : "TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP"
        try await session.execute(
            """
            CREATE TABLE IF NOT EXISTS "\(unsafeRaw: Self.tableName)" (
                "instance" TEXT PRIMARY KEY NOT NULL,
                "migration_head" TEXT,
                "started_at" \(unsafeRaw: timestamp),
                "seen_at" \(unsafeRaw: timestamp)
            )
            """
        )
    }

    /// Records that `instance` is running a build whose last migration is `migrationHead`.
    public func report(instance: String, migrationHead: String?) async throws {
        try await session.execute(
            """
            INSERT INTO "_wenwex_servers" ("instance", "migration_head") VALUES ($1, $2)
            ON CONFLICT ("instance") DO UPDATE SET "migration_head" = $2, "seen_at" = CURRENT_TIMESTAMP
            """,
            [.text(instance), migrationHead.map(SQLValue.text) ?? .null]
        )
    }

    /// A server that stops cleanly takes itself off at once.
    public func remove(instance: String) async throws {
        try await session.execute(#"DELETE FROM "_wenwex_servers" WHERE "instance" = $1"#, [.text(instance)])
    }

    /// The servers that reported within `window`, oldest build first. Empty when the table does
    /// not exist: no server has ever reported.
    public func running(within window: Duration) async throws -> [Server] {
        let seconds = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        let ago =
            session.dialect == .postgres
            ? #"extract(epoch FROM now() - "seen_at")::float8"#
            : #"(julianday('now') - julianday("seen_at")) * 86400.0"#
        guard try await session.tableExists(Self.tableName) else { return [] }
        let rows = try await session.queryText(
            """
            SELECT "instance", "migration_head", CAST(\(ago) AS TEXT) FROM "_wenwex_servers"
            WHERE \(ago) <= $1 ORDER BY "migration_head", "instance"
            """,
            [.double(seconds)]
        )
        return rows.compactMap { row in
            guard row.count == 3, let instance = row[0] else { return nil }
            let ago = row[2].flatMap(Double.init) ?? 0
            return Server(instance: instance, migrationHead: row[1], seenAgo: .milliseconds(Int64(max(ago, 0) * 1000)))
        }
    }
}
