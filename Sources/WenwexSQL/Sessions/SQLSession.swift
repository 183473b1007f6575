import Foundation

/// The SQL flavours Wenwex speaks. Dialect differences live in one place per dialect
/// (renderers, introspectors, sessions), never in scattered `if postgres` branches.
public enum SQLDialect: String, Sendable, Hashable, Codable {
    case postgres
    case sqlite

    /// `name` as a quoted identifier; both dialects use the SQL-standard double quotes.
    public func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// One open connection to a database, whatever its dialect.
///
/// Application code writes statements as ``SQLQuery`` interpolations (`"… WHERE id = \(id)"`),
/// which bind every value. The requirements take text with positional parameters written `$1`,
/// `$2`, … in both dialects (the SQLite session maps them to SQLite's `?1`, `?2`), for generated
/// SQL; they have no default for `binds`, so an interpolated string can never reach them by
/// accident. Later modules (migrations, routing) build on it.
public protocol SQLSession: Sendable {
    /// The session's dialect, for code that must spell SQL differently (introspectors, renderers).
    var dialect: SQLDialect { get }
    /// Runs a statement and discards any rows.
    func execute(_ sql: String, _ binds: [SQLValue]) async throws
    /// Runs a query and returns its rows.
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Closes the connection. Do not close a session the router hands to a closure: its connection
    /// belongs to a pool.
    func close() async throws
}

extension SQLSession {
    /// Whether the table exists: the bookkeeping tables are created on first use, and a
    /// command that only reads must not create them.
    public func tableExists(_ name: String, schema: String? = nil) async throws -> Bool {
        switch dialect {
        case .postgres:
            let quoted = dialect.quoteIdentifier(name)
            let qualified = schema.map { dialect.quoteIdentifier($0) + "." + quoted } ?? quoted
            return try await queryText("SELECT to_regclass($1)::text", [.text(qualified)]).first?.first??.isEmpty
                == false
        case .sqlite:
            return
                !(try await queryText(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name = $1",
                    [.text(name)]
                ).isEmpty)
        }
    }

    /// Runs a statement whose interpolated values are bound parameters, discarding any rows.
    public func execute(_ query: SQLQuery) async throws {
        try await execute(query.sql, query.binds)
    }

    /// Runs a query whose interpolated values are bound parameters.
    public func query(_ query: SQLQuery) async throws -> [SQLRow] {
        try await self.query(query.sql, query.binds)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// `begin` lets SQLite writers say `BEGIN IMMEDIATE`, which takes the write lock up front
    /// instead of failing with `SQLITE_BUSY` halfway through.
    public func inTransaction<Value>(begin: SQLQuery = "BEGIN", _ body: () async throws -> Value) async throws -> Value
    {
        try await execute(begin)
        do {
            let value = try await body()
            try await execute("COMMIT")
            return value
        } catch {
            try? await execute("ROLLBACK")
            throw error
        }
    }

    /// Runs a query and returns each column as text (`nil` for NULL).
    public func queryText(_ sql: String, _ binds: [SQLValue]) async throws -> [[String?]] {
        try await query(sql, binds).map { $0.values.map(\.text) }
    }

    /// Runs a query and returns each column as text (`nil` for NULL).
    public func queryText(_ query: SQLQuery) async throws -> [[String?]] {
        try await queryText(query.sql, query.binds)
    }
}
