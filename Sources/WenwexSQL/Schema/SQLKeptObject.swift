/// A database object `schema.prisma` cannot express: a partial or expression index, an
/// extension the datasource does not declare, a trigger, a function, a view, a row-level
/// security policy.
///
/// Teams create them with hand-written SQL in a migration. They belong to the migration
/// history, not to the schema: introspection reads them so they can be shown and compared
/// between the history and a database, and the differ never plans their removal unless asked
/// (`SchemaDiffer.Options.dropsUnmanagedObjects`), since a dropped search index or policy is
/// an outage the schema never asked for.
public struct SQLKeptObject: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case index
        case `extension`
        case trigger
        case function
        case view
        case policy
    }

    public var kind: Kind
    public var name: String
    /// The table it belongs to (indexes, triggers, policies); `nil` for the others.
    public var table: String?
    public var schema: String?
    /// The definition as the database prints it (`pg_get_indexdef`, `pg_get_triggerdef`, …):
    /// two objects of the same name differ when this does.
    public var definition: String

    public init(kind: Kind, name: String, table: String? = nil, schema: String? = nil, definition: String) {
        self.kind = kind
        self.name = name
        self.table = table
        self.schema = schema
        self.definition = definition
    }

    public static func < (lhs: SQLKeptObject, rhs: SQLKeptObject) -> Bool {
        (lhs.kind.rawValue, lhs.schema ?? "", lhs.table ?? "", lhs.name)
            < (rhs.kind.rawValue, rhs.schema ?? "", rhs.table ?? "", rhs.name)
    }

    /// `index "Post_title_trgm" on "Post"`.
    public var description: String {
        "\(kind.rawValue) \"\(name)\"" + (table.map { " on \"\($0)\"" } ?? "")
    }
}
