/// A PostgreSQL extension (`citext`, `pg_trgm`) and the schema its objects live in.
///
/// Supabase installs extensions into an `extensions` schema, which Prisma writes as
/// `extensions = [pgcrypto(schema: "extensions")]`; `schema` is `nil` for the database's
/// default schema, so a plain `citext` compares equal to one installed where the tables are.
public struct SQLExtension: Sendable, Hashable, Codable, Comparable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var name: String
    public var schema: String?

    public init(_ name: String, schema: String? = nil) {
        self.name = name
        self.schema = schema
    }

    public init(stringLiteral name: String) {
        self.init(name)
    }

    public static func < (lhs: SQLExtension, rhs: SQLExtension) -> Bool {
        (lhs.name, lhs.schema ?? "") < (rhs.name, rhs.schema ?? "")
    }

    public var description: String { name }
}
