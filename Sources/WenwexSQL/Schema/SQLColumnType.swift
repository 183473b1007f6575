/// A column's type: the exact type text of its dialect, plus a neutral family.
///
/// The text is what the database is told and what introspection reads back (`TIMESTAMP(3)`,
/// `VARCHAR(255)`, `DECIMAL(65,30)`, `TEXT[]`), so comparing it finds a changed precision or
/// length. The family says what kind of value the column holds whatever the dialect, which is
/// what a diff needs to decide whether a change is a cast or a rewrite.
public struct SQLColumnType: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What kind of value a column holds, independent of dialect (Prisma's scalar types).
    public enum Family: Sendable, Hashable, Codable {
        case string
        case int
        case bigInt
        case float
        case decimal
        case boolean
        case dateTime
        case json
        case bytes
        /// A PostgreSQL enum type, by its database name (SQLite stores enums as `.string`).
        case `enum`(String)
        /// A type Prisma has no scalar for (`Unsupported("circle")`).
        case unsupported
    }

    /// The dialect's type text, unquoted, with `[]` for arrays: `TEXT[]`, `order_status`.
    /// Renderers quote it when `family` is `.enum`.
    public var text: String
    /// The neutral kind of value, which the differ compares to tell a cast from a rewrite.
    public var family: Family
    /// A PostgreSQL array of `family` values.
    public var isArray: Bool

    /// Creates a type from its dialect text (`[]` included for an array) and its family.
    public init(_ text: String, family: Family, isArray: Bool = false) {
        self.text = text
        self.family = family
        self.isArray = isArray
    }

    /// The dialect's type text, ``text``.
    public var description: String { text }
}
