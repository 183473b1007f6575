/// A PostgreSQL enum type (`CREATE TYPE "Role" AS ENUM (…)`).
///
/// Values keep their declared order, which is where new values are placed (`ADD VALUE … BEFORE`).
/// The migration engine compares them as a set, as Prisma does: a database whose values were
/// appended in another order, or a schema that lists them in another order, is no change.
public struct SQLEnum: Sendable, Hashable, Codable {
    /// The type's database name (after `@@map`).
    public var name: String
    /// Its schema when several schemas are introspected; `nil` for the default one.
    public var schema: String?
    /// Database spellings (after `@map`), in declaration order.
    public var values: [String]

    /// Creates an enum type with its values in declaration order.
    public init(name: String, schema: String? = nil, values: [String]) {
        self.name = name
        self.schema = schema
        self.values = values
    }
}
