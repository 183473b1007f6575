/// Every model needs a unique criterion made of required fields: `@id`, `@@id`, a required
/// `@unique` field or an `@@unique` over required fields. Without one, rows cannot be told
/// apart, and Prisma Client (and Wenwex's migrations) cannot address them.
enum IdentityRules {
    static func check(_ context: inout ValidationContext) {
        for model in context.schema.models where !model.isIgnored && !hasUniqueCriterion(model) {
            context.error(
                "Each model must have at least one unique criteria that has only required fields. Either mark a single field with `@id`, `@unique` or add a multi field criterion with `@@id([])` or `@@unique([])` to the model.",
                at: model.name.range,
                hint: "for example `id Int @id @default(autoincrement())`"
            )
        }
    }

    static func hasUniqueCriterion(_ model: Block) -> Bool {
        let usable = model.fields.filter { $0.type.unsupported == nil && $0.attribute("ignore") == nil }
        if usable.contains(where: { $0.attribute("id") != nil }) { return true }
        if usable.contains(where: { $0.attribute("unique") != nil && $0.type.arity == .required }) { return true }
        if !model.blockAttributes(named: "id").isEmpty { return true }
        return model.blockAttributes(named: "unique").contains { attribute in
            let names = IndexRules.fieldNames(of: attribute).map(\.name)
            return !names.isEmpty
                && names.allSatisfy { name in usable.contains { $0.name.name == name && $0.type.arity == .required } }
        }
    }
}
