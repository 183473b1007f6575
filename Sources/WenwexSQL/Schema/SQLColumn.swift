/// A column: name, type, nullability, default.
public struct SQLColumn: Sendable, Hashable, Codable {
    public var name: String
    public var type: SQLColumnType
    public var isNullable: Bool
    public var `default`: SQLDefault?
    /// Whether the database numbers new rows itself: a PostgreSQL `SERIAL` column (whose
    /// default is then `.sequence`) or SQLite's `INTEGER PRIMARY KEY AUTOINCREMENT`.
    public var isAutoIncrement: Bool

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
