import Foundation

/// The SQL flavours Wenwex speaks. Dialect differences live in one place per dialect
/// (renderers, introspectors, sessions), never in scattered `if postgres` branches.
public enum SQLDialect: String, Sendable, Hashable, Codable {
    case postgres
    case sqlite

    /// The placeholder for the `position`th (1-based) bound parameter.
    public func placeholder(_ position: Int) -> String {
        switch self {
        case .postgres: "$\(position)"
        case .sqlite: "?\(position)"
        }
    }

    /// `name` as a quoted identifier; both dialects use the SQL-standard double quotes.
    public func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// One open connection to a database, whatever its dialect.
///
/// Deliberately narrow: statements with text parameters, and queries whose columns are read as
/// text (cast in SQL where needed). Later modules (migrations, routing) build on it.
public protocol SQLSession: Sendable {
    var dialect: SQLDialect { get }
    /// Runs a statement that returns no rows.
    func execute(_ sql: String, _ binds: [String?]) async throws
    /// Runs a query and returns its rows, each column as text (`nil` for NULL).
    func queryText(_ sql: String, _ binds: [String?]) async throws -> [[String?]]
    func close() async throws
}

extension SQLSession {
    public func execute(_ sql: String) async throws {
        try await execute(sql, [])
    }

    public func queryText(_ sql: String) async throws -> [[String?]] {
        try await queryText(sql, [])
    }
}
