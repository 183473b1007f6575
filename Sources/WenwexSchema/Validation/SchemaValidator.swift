/// Checks a parsed schema against Prisma's rules for relational databases.
///
/// Each rule is a small function in `Validation/Rules`, run in a fixed order; all of them run
/// on every schema so one run reports every problem.
public enum SchemaValidator {
    /// Every diagnostic the rules find, in rule order.
    public static func validate(_ schema: PrismaSchema) -> [SchemaDiagnostic] {
        var context = ValidationContext(schema: schema)
        for rule in rules { rule(&context) }
        return context.diagnostics
    }

    private static let rules: [@Sendable (inout ValidationContext) -> Void] = [
        DatasourceRules.check,
        NameRules.check,
        TypeRules.check,
        AttributeRules.check,
        IdentityRules.check,
        IndexRules.check,
        DefaultRules.check,
        NativeTypeRules.check,
        RelationRules.check,
        MultiSchemaRules.check,
    ]
}
