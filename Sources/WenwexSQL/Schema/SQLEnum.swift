/// A PostgreSQL enum type (`CREATE TYPE "Role" AS ENUM (…)`).
///
/// Values keep their declared order: PostgreSQL sorts enum values by it, so a different order
/// is a different type.
public struct SQLEnum: Sendable, Hashable, Codable {
    public var name: String
    public var schema: String?
    /// Database spellings (after `@map`), in declaration order.
    public var values: [String]

    public init(name: String, schema: String? = nil, values: [String]) {
        self.name = name
        self.schema = schema
        self.values = values
    }
}
