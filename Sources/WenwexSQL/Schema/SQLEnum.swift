/// A PostgreSQL enum type (`CREATE TYPE "Role" AS ENUM (…)`).
///
/// Values keep their declared order, which is where new values are placed (`ADD VALUE … BEFORE`).
/// The migration engine compares them as a set, as Prisma does: a database whose values were
/// appended in another order, or a schema that lists them in another order, is no change.
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
