/// A database object `schema.prisma` cannot express: a partial or expression index, an
/// extension the datasource does not declare, a trigger, a function, a view, a row-level
/// security policy or a table's row-level security switch, a sequence no column owns, a domain.
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
        /// A table's `ENABLE` (and `FORCE`) `ROW LEVEL SECURITY`: named after its table, its
        /// definition says which. Without it a table's policies do nothing, so losing it is
        /// drift as real as losing a policy.
        case rowLevelSecurity = "row level security"
        /// A sequence no column owns (a `SERIAL` column's own sequence is part of its table).
        case sequence
        /// A domain (`CREATE DOMAIN email AS citext CHECK …`).
        case domain
    }

    /// What sort of object it is.
    public var kind: Kind
    /// The object's name; a function's includes its argument types (`slugify(text)`), so overloads
    /// stay apart.
    public var name: String
    /// The table it belongs to (indexes, triggers, policies, row-level security); `nil` for the others.
    public var table: String?
    /// Its schema when several schemas are introspected; `nil` for the default one.
    public var schema: String?
    /// The definition as the database prints it (`pg_get_indexdef`, `pg_get_triggerdef`, …):
    /// two objects of the same name differ when this does.
    public var definition: String
    /// A partial index over plain columns, as an index: Prisma's `partialIndexes` preview can
    /// declare one with `where:`, and the differ then manages it as the schema's own
    /// (`SchemaDiffer`); while no schema names it, it stays kept.
    public var partialIndex: SQLIndex?

    /// Creates a kept object, as introspection does for each one it finds.
    public init(
        kind: Kind,
        name: String,
        table: String? = nil,
        schema: String? = nil,
        definition: String,
        partialIndex: SQLIndex? = nil
    ) {
        self.kind = kind
        self.name = name
        self.table = table
        self.schema = schema
        self.definition = definition
        self.partialIndex = partialIndex
    }

    /// Orders by kind, schema, table and name: the order ``SQLSchema/kept`` keeps.
    public static func < (lhs: SQLKeptObject, rhs: SQLKeptObject) -> Bool {
        (lhs.kind.rawValue, lhs.schema ?? "", lhs.table ?? "", lhs.name)
            < (rhs.kind.rawValue, rhs.schema ?? "", rhs.table ?? "", rhs.name)
    }

    /// `index "Post_title_trgm" on "Post"`, `row level security on "Post"`.
    public var description: String {
        if kind == .rowLevelSecurity { return "\(kind.rawValue) on \"\(name)\"" }
        return "\(kind.rawValue) \"\(name)\"" + (table.map { " on \"\($0)\"" } ?? "")
    }
}
