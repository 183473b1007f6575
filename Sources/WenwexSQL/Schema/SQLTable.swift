/// A table: its columns in creation order and its keys, indexes and foreign keys.
///
/// Columns keep their order because it is visible in the database (`SELECT *`, introspection
/// by ordinal position); constraints have no order there, so they are sorted by name to make
/// `==` mean "the same table".
public struct SQLTable: Sendable, Hashable, Codable {
    /// The table's name in the database (after `@@map`), case-sensitive.
    public var name: String
    /// The PostgreSQL schema (namespace) with multi-schema setups; `nil` means the default one.
    public var schema: String?
    /// In creation order.
    public var columns: [SQLColumn]
    /// The primary key; `nil` for a table without one.
    public var primaryKey: SQLPrimaryKey?
    /// Unique constraints and unique indexes (Prisma creates both as unique indexes), by name.
    public var uniques: [SQLUnique] {
        didSet { uniques.sort { $0.name < $1.name } }
    }
    /// Non-unique indexes (and unique ones a `SQLUnique` cannot express), by name.
    public var indexes: [SQLIndex] {
        didSet { indexes.sort { $0.name < $1.name } }
    }
    /// By name.
    public var foreignKeys: [SQLForeignKey] {
        didSet { foreignKeys.sort { $0.name < $1.name } }
    }

    /// Creates a table; its constraints are sorted by name, its columns keep the given order.
    public init(
        name: String,
        schema: String? = nil,
        columns: [SQLColumn] = [],
        primaryKey: SQLPrimaryKey? = nil,
        uniques: [SQLUnique] = [],
        indexes: [SQLIndex] = [],
        foreignKeys: [SQLForeignKey] = []
    ) {
        self.name = name
        self.schema = schema
        self.columns = columns
        self.primaryKey = primaryKey
        self.uniques = uniques.sorted { $0.name < $1.name }
        self.indexes = indexes.sorted { $0.name < $1.name }
        self.foreignKeys = foreignKeys.sorted { $0.name < $1.name }
    }

    /// Decoding goes through `init` so constraint order is normalized.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            schema: try container.decodeIfPresent(String.self, forKey: .schema),
            columns: try container.decode([SQLColumn].self, forKey: .columns),
            primaryKey: try container.decodeIfPresent(SQLPrimaryKey.self, forKey: .primaryKey),
            uniques: try container.decode([SQLUnique].self, forKey: .uniques),
            indexes: try container.decode([SQLIndex].self, forKey: .indexes),
            foreignKeys: try container.decode([SQLForeignKey].self, forKey: .foreignKeys)
        )
    }

    /// The column named `name` (an exact match), or `nil`.
    public func column(_ name: String) -> SQLColumn? {
        columns.first { $0.name == name }
    }

    /// The unique constraint named `name`, or `nil`.
    public func unique(_ name: String) -> SQLUnique? {
        uniques.first { $0.name == name }
    }

    /// The index named `name`, or `nil`.
    public func index(_ name: String) -> SQLIndex? {
        indexes.first { $0.name == name }
    }

    /// The foreign key named `name`, or `nil`.
    public func foreignKey(_ name: String) -> SQLForeignKey? {
        foreignKeys.first { $0.name == name }
    }
}
