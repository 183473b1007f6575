import Foundation
public import WenwexConfig

/// Reads and writes a database's identity stamp: the one-row table `_wenwex_identity`.
///
/// The table lives in the database itself (in the URL's `?schema=` on PostgreSQL), so the stamp
/// is copied by backups and streaming replication and a replica reports its primary's identity.
public struct IdentityStampStore: Sendable {
    /// The bookkeeping table's name; schema tools ignore it.
    public static let tableName = "_wenwex_identity"

    private let session: any SQLSession
    private let schema: String?

    /// `schema` is the PostgreSQL schema (from the URL's `?schema=`); ignored on SQLite.
    public init(session: any SQLSession, schema: String? = nil) {
        self.session = session
        self.schema = session.dialect == .postgres ? (schema ?? "public") : nil
    }

    /// Creates a store for the database `url` names: in the URL's `?schema=` on PostgreSQL.
    public init(session: any SQLSession, url: DatabaseURL) {
        if case .postgres(let location) = url.kind {
            self.init(session: session, schema: location.schema)
        } else {
            self.init(session: session)
        }
    }

    private var qualifiedTable: String {
        let table = session.dialect.quoteIdentifier(Self.tableName)
        return schema.map { session.dialect.quoteIdentifier($0) + "." + table } ?? table
    }

    /// The stamp, or `nil` when the database has none.
    public func read() async throws -> IdentityStamp? {
        guard try await tableExists() else { return nil }
        let timestamp =
            session.dialect == .postgres
            ? #"to_char(stamped_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"# : "stamped_at"
        let rows = try await session.queryText(
            "SELECT project, environment, tier, instance_id, \(unsafeRaw: timestamp), stamped_by FROM \(unsafeRaw: qualifiedTable) WHERE id = 1"
        )
        guard let row = rows.first, row.count == 6 else { return nil }
        guard let tierText = row[2], let tier = Tier(rawValue: tierText) else {
            throw IdentityStampCorrupt(detail: "unknown tier '\(row[2] ?? "NULL")'")
        }
        return IdentityStamp(
            project: row[0] ?? "",
            environment: row[1] ?? "",
            tier: tier,
            instanceID: row[3] ?? "",
            stampedAt: row[4].flatMap(Self.parseTimestamp) ?? Date(timeIntervalSince1970: 0),
            stampedBy: row[5] ?? ""
        )
    }

    /// Writes `stamp` in one transaction, creating the table if needed.
    ///
    /// Refuses to replace an existing stamp: whether a database may be re-stamped is decided by
    /// `CrossEnvironmentGuard.planStamp`, and this store never overwrites an identity.
    public func write(_ stamp: IdentityStamp) async throws {
        let dialect = session.dialect
        let timestampType = dialect == .postgres ? "TIMESTAMPTZ" : "TEXT"
        try await session.inTransaction {
            if let schema {
                try await session.execute("CREATE SCHEMA IF NOT EXISTS \(unsafeRaw: dialect.quoteIdentifier(schema))")
            }
            try await session.execute(
                """
                CREATE TABLE IF NOT EXISTS \(unsafeRaw: qualifiedTable) (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    project TEXT NOT NULL,
                    environment TEXT NOT NULL,
                    tier TEXT NOT NULL CHECK (tier IN ('dev', 'staging', 'prod')),
                    instance_id TEXT NOT NULL,
                    stamped_at \(unsafeRaw: timestampType) NOT NULL,
                    stamped_by TEXT NOT NULL
                )
                """
            )
            var placeholders = (1...6).map { "$\($0)" }
            if dialect == .postgres { placeholders[4] += "::timestamptz" }
            try await session.execute(
                "INSERT INTO \(qualifiedTable) (id, project, environment, tier, instance_id, stamped_at, stamped_by) VALUES (1, \(placeholders.joined(separator: ", ")))",
                [
                    stamp.project, stamp.environment, stamp.tier.rawValue, stamp.instanceID,
                    Self.formatTimestamp(stamp.stampedAt), stamp.stampedBy,
                ].map(SQLValue.text)
            )
        }
    }

    private func tableExists() async throws -> Bool {
        try await session.tableExists(Self.tableName, schema: schema)
    }

    private static func formatTimestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    private static func parseTimestamp(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }
}

/// The stamp table exists but holds something Wenwex did not write.
public struct IdentityStampCorrupt: Error, Sendable, CustomStringConvertible {
    /// What was found instead (`unknown tier 'qa'`).
    public var detail: String
    /// The message to show, naming the table.
    public var description: String {
        "the identity stamp table \(IdentityStampStore.tableName) is damaged: \(detail)"
    }
}
