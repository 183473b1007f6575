/// Checks a parsed schema against Prisma's rules for relational databases.
///
/// Each rule is a small function in `Validation/Rules`; all of them run on every schema so one
/// run reports every problem, and the diagnostics come out rule by rule, in the order below.
///
/// The rules are run block by block rather than one after the other over the whole schema: a
/// large schema's syntax tree is far bigger than the processor's caches, and walking it once per
/// rule fetched every field from memory again and again (most of the time validation took).
/// Each rule keeps its own list of diagnostics (`ValidationContext.rule`), so the order is the
/// same as running them one after the other.
public enum SchemaValidator {
    /// Every diagnostic the rules find, in rule order.
    public static func validate(_ schema: PrismaSchema) -> [SchemaDiagnostic] {
        var context = ValidationContext(schema: schema)
        context.rule = .datasource
        DatasourceRules.check(&context)
        context.rule = .names
        NameRules.checkTopLevel(&context)
        DatabaseNameRules.check(&context)
        let declaredSchemas = MultiSchemaRules.declaredSchemas(context)
        var relationFields: [RelationRules.RelationField] = []
        for block in schema.blocks {
            context.rule = .names
            NameRules.check(block, &context)
            context.rule = .types
            TypeRules.check(block, &context)
            context.rule = .attributes
            AttributeRules.check(block, &context)
            context.rule = .identity
            IdentityRules.check(block, &context)
            ViewRules.check(block, &context)
            ViewRules.checkModelSide(block, &context)
            context.rule = .indexes
            IndexRules.check(block, &context)
            context.rule = .defaults
            DefaultRules.check(block, &context)
            context.rule = .nativeTypes
            NativeTypeRules.check(block, &context)
            RelationRules.collect(block, into: &relationFields, context)
            context.rule = .multiSchema
            MultiSchemaRules.check(block, declared: declaredSchemas, &context)
        }
        context.rule = .types
        TypeRules.finish(&context)
        context.rule = .relations
        RelationRules.check(relationFields, &context)
        return context.diagnostics
    }
}
