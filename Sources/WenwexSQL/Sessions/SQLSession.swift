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
/// Statements take positional parameters written `$1`, `$2`, … in both dialects (the SQLite
/// session maps them to SQLite's `?1`, `?2`). Later modules (migrations, routing) build on it.
public protocol SQLSession: Sendable {
    var dialect: SQLDialect { get }
    /// Runs a statement and discards any rows.
    func execute(_ sql: String, _ binds: [SQLValue]) async throws
    /// Runs a query and returns its rows.
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    func close() async throws
}

extension SQLSession {
    public func execute(_ sql: String) async throws {
        try await execute(sql, [])
    }

    public func query(_ sql: String) async throws -> [SQLRow] {
        try await query(sql, [])
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// `begin` lets SQLite writers say `BEGIN IMMEDIATE`, which takes the write lock up front
    /// instead of failing with `SQLITE_BUSY` halfway through.
    public func inTransaction<Value>(begin: String = "BEGIN", _ body: () async throws -> Value) async throws -> Value {
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
    public func queryText(_ sql: String, _ binds: [SQLValue] = []) async throws -> [[String?]] {
        try await query(sql, binds).map { $0.values.map(\.text) }
    }
}
