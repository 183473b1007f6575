/// A PostgreSQL extension (`citext`, `pg_trgm`) and the schema its objects live in.
///
/// Supabase installs extensions into an `extensions` schema, which Prisma writes as
/// `extensions = [pgcrypto(schema: "extensions")]`; `schema` is `nil` for the database's
/// default schema, so a plain `citext` compares equal to one installed where the tables are.
public struct SQLExtension: Sendable, Hashable, Codable, Comparable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The extension's name as `CREATE EXTENSION` takes it (`pg_trgm`).
    public var name: String
    /// The schema it is installed into; `nil` for the database's default schema.
    public var schema: String?
    /// Introspected: the installed version (`pg_extension.extversion`). Lowered: the
    /// `version:` the datasource asks for, or `nil` for whichever the server installs, so the
    /// differ updates an extension only when the schema names a version.
    public var version: String?

    /// Creates an extension, in the default schema unless `schema` is given.
    public init(_ name: String, schema: String? = nil, version: String? = nil) {
        self.name = name
        self.schema = schema
        self.version = version
    }

    /// Creates an extension in the default schema from its name, so `"citext"` can stand for one.
    public init(stringLiteral name: String) {
        self.init(name)
    }

    /// Orders by name, then by schema, the default schema first.
    public static func < (lhs: SQLExtension, rhs: SQLExtension) -> Bool {
        (lhs.name, lhs.schema ?? "") < (rhs.name, rhs.schema ?? "")
    }

    /// The name alone, without the schema.
    public var description: String { name }
}
