public import WenwexSQL

/// The database a schema's `datasource` names.
public enum SchemaProvider {
    /// `postgresql` (or `postgres`) and `sqlite`; `nil` when the schema names no provider
    /// Wenwex supports (validation reports that).
    public static func dialect(of schema: PrismaSchema) -> SQLDialect? {
        guard let provider = schema.datasources.first?.property("provider")?.value.stringValue else { return nil }
        switch provider {
        case "postgresql", "postgres": return .postgres
        case "sqlite": return .sqlite
        default: return nil
        }
    }
}
