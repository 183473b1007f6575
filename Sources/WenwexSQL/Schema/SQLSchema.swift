/// A database schema as the migration engine sees it: tables, enum types and PostgreSQL
/// extensions, plus the objects `schema.prisma` cannot express (`kept`), which the differ
/// compares but never drops unless asked.
///
/// It is the meeting point of the pipeline in DESIGN.md: `schema.prisma` is lowered into it,
/// a live database is introspected into it, and migrations are the difference between two of
/// them. So it is a plain value: `Hashable` to compare, `Codable` to snapshot, `Sendable` to
/// hand between tasks. Tables and enums are kept sorted by (schema, name), and each table sorts
/// its constraints by name, so two models describing the same database are `==` whatever order
/// their sources listed things in.
public struct SQLSchema: Sendable, Hashable, Codable {
    /// Sorted by (schema, name).
    public var tables: [SQLTable] {
        didSet { tables.sort(by: Self.ordered) }
    }
    /// PostgreSQL enum types, sorted by (schema, name). Always empty for SQLite.
    public var enums: [SQLEnum] {
        didSet { enums.sort(by: Self.ordered) }
    }

    /// PostgreSQL extensions (`citext`, `pg_trgm`), sorted: the datasource's `extensions = [...]`
    /// when lowered, every installed extension but `plpgsql` when introspected. Always empty for
    /// SQLite.
    public var extensions: [SQLExtension] {
        didSet { extensions.sort() }
    }
    /// Objects the schema language cannot express, sorted; never part of a lowered schema.
    public var kept: [SQLKeptObject] {
        didSet { kept.sort() }
    }

    /// Creates a schema, sorting its tables, enums, extensions and kept objects into canonical order.
    public init(
        tables: [SQLTable] = [],
        enums: [SQLEnum] = [],
        extensions: [SQLExtension] = [],
        kept: [SQLKeptObject] = []
    ) {
        self.tables = tables.sorted(by: Self.ordered)
        self.enums = enums.sorted(by: Self.ordered)
        self.extensions = extensions.sorted()
        self.kept = kept.sorted()
    }

    /// Decoding goes through `init` so a hand-edited snapshot is normalized too.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            tables: try container.decode([SQLTable].self, forKey: .tables),
            enums: try container.decode([SQLEnum].self, forKey: .enums),
            extensions: try container.decodeIfPresent([SQLExtension].self, forKey: .extensions) ?? [],
            kept: try container.decodeIfPresent([SQLKeptObject].self, forKey: .kept) ?? []
        )
    }

    /// The table named `name` (in `schema`, when given).
    public func table(_ name: String, schema: String? = nil) -> SQLTable? {
        tables.first { $0.name == name && (schema == nil || $0.schema == schema) }
    }

    /// The enum type named `name` (in `schema`, when given).
    public func enumeration(_ name: String, schema: String? = nil) -> SQLEnum? {
        enums.first { $0.name == name && (schema == nil || $0.schema == schema) }
    }

    /// The schema as a database can show it: application-generated defaults (`uuid()`,
    /// `@updatedAt`, …) removed, since they exist only in the client and introspection never
    /// sees them. Compare this with an introspected model.
    public var databaseView: SQLSchema {
        var copy = self
        copy.tables = tables.map { table in
            var table = table
            table.columns = table.columns.map { column in
                var column = column
                if column.default?.isDatabaseDefault == false { column.default = nil }
                return column
            }
            return table
        }
        return copy
    }

    private static func ordered(_ lhs: SQLTable, _ rhs: SQLTable) -> Bool {
        (lhs.schema ?? "", lhs.name) < (rhs.schema ?? "", rhs.name)
    }

    private static func ordered(_ lhs: SQLEnum, _ rhs: SQLEnum) -> Bool {
        (lhs.schema ?? "", lhs.name) < (rhs.schema ?? "", rhs.name)
    }
}
