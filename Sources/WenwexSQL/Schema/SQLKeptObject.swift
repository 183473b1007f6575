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
    /// What sort of object it is; the raw value is how ``description`` and the sort order spell it.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A partial index or one over an expression (other indexes are ``SQLIndex``es).
        case index
        /// An extension the datasource's `extensions = [...]` does not declare.
        case `extension`
        case trigger
        /// A function or procedure, except those an extension owns.
        case function
        /// A view.
        case view
        /// A materialized view (its own kind: it is dropped with `DROP MATERIALIZED VIEW`).
        case materializedView = "materialized view"
        /// A row-level security policy (`CREATE POLICY`).
        case policy
    }

    /// What sort of object it is.
    public var kind: Kind
    /// The object's name; a function's includes its argument types (`slugify(text)`), so overloads
    /// stay apart.
    public var name: String
    /// The table it belongs to (indexes, triggers, policies); `nil` for the others.
    public var table: String?
    /// Its schema when several schemas are introspected; `nil` for the default one.
    public var schema: String?
    /// The definition as the database prints it (`pg_get_indexdef`, `pg_get_triggerdef`, …):
    /// two objects of the same name differ when this does.
    public var definition: String

    /// Creates a kept object, as introspection does for each one it finds.
    public init(kind: Kind, name: String, table: String? = nil, schema: String? = nil, definition: String) {
        self.kind = kind
        self.name = name
        self.table = table
        self.schema = schema
        self.definition = definition
    }

    /// Orders by kind, schema, table and name: the order ``SQLSchema/kept`` keeps.
    public static func < (lhs: SQLKeptObject, rhs: SQLKeptObject) -> Bool {
        (lhs.kind.rawValue, lhs.schema ?? "", lhs.table ?? "", lhs.name)
            < (rhs.kind.rawValue, rhs.schema ?? "", rhs.table ?? "", rhs.name)
    }

    /// `index "Post_title_trgm" on "Post"`.
    public var description: String {
        "\(kind.rawValue) \"\(name)\"" + (table.map { " on \"\($0)\"" } ?? "")
    }
}
