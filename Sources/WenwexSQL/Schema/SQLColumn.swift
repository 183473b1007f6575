/// A column: name, type, nullability, default.
public struct SQLColumn: Sendable, Hashable, Codable {
    /// The column's name in the database (after `@map`), case-sensitive.
    public var name: String
    /// The dialect's type text and its neutral family.
    public var type: SQLColumnType
    /// Whether NULL is allowed; `false` means `NOT NULL` (a required Prisma field).
    public var isNullable: Bool
    /// The column's default; `nil` when it has none. An `.applicationGenerated` one exists only in the
    /// model (see ``SQLSchema/databaseView``).
    public var `default`: SQLDefault?
    /// Whether the database numbers new rows itself: a PostgreSQL `SERIAL` column (whose
    /// default is then `.sequence`) or SQLite's `INTEGER PRIMARY KEY AUTOINCREMENT`.
    public var isAutoIncrement: Bool

    /// Creates a column; by default `NOT NULL` with no default, like a required Prisma field.
    public init(
        name: String,
        type: SQLColumnType,
        isNullable: Bool = false,
        default: SQLDefault? = nil,
        isAutoIncrement: Bool = false
    ) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.default = `default`
        self.isAutoIncrement = isAutoIncrement
    }
}
