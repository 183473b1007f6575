public import WenwexSQL

/// The PostgreSQL roles one environment's database is reached through.
///
/// Four `NOLOGIN` group roles per project and environment (roles are cluster-wide, so the
/// names carry both): people and the server log in as their own users and are made members.
/// - `read`: `SELECT` only; what developers get on production.
/// - `write`: reads and `INSERT` / `UPDATE` / `DELETE`; no `TRUNCATE`, no DDL.
/// - `app`: what the server runs as; the same rights as `write`.
/// - `migrator`: owns the schema and every object in it, so `migrate deploy` can run DDL.
public struct AccessRoles: Sendable, Hashable {
    public var read: String
    public var write: String
    public var app: String
    public var migrator: String

    /// `shop` / `prod` → `shop_prod_read`, `shop_prod_write`, `shop_prod_app`, `shop_prod_migrator`.
    public init(project: String, environment: String) {
        let prefix = Self.identifierPart(project) + "_" + Self.identifierPart(environment)
        read = prefix + "_read"
        write = prefix + "_write"
        app = prefix + "_app"
        migrator = prefix + "_migrator"
    }

    public var all: [String] { [read, write, app, migrator] }

    /// Lower-case letters, digits and `_`, at most 24 characters, so every name stays well
    /// inside PostgreSQL's 63 bytes.
    static func identifierPart(_ text: String) -> String {
        let mapped = text.lowercased().map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber) ? character : "_"
        }
        return String(String(mapped).prefix(24))
    }
}

extension AccessRoles {
    /// `SET ROLE` to the migrator when it exists and the session's user may act as it, so
    /// what a deploy creates is owned by the migrator like everything else (and covered by its
    /// default privileges). `false` when the layout is not applied here, or on SQLite.
    public func actAsMigrator(_ session: any SQLSession) async throws -> Bool {
        guard session.dialect == .postgres else { return false }
        let allowed = try await session.queryText(
            "SELECT pg_has_role(current_user, oid, 'MEMBER')::text FROM pg_roles WHERE rolname = $1",
            [.text(migrator)]
        )
        guard allowed.first?.first == "true" else { return false }
        try await session.execute("SET ROLE \(unsafeRaw: SQLDialect.postgres.quoteIdentifier(migrator))")
        return true
    }
}
