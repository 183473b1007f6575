/// Every model needs a unique criterion made of required fields: `@id`, `@@id`, a required
/// `@unique` field or an `@@unique` over required fields. Without one, rows cannot be told
/// apart, and Prisma Client (and Wenwex's migrations) cannot address them.
enum IdentityRules {
    static func check(_ model: Block, _ context: inout ValidationContext) {
        if model.kind == .model, !model.isIgnored, !hasUniqueCriterion(model) {
            context.error(
                "Each model must have at least one unique criteria that has only required fields. Either mark a single field with `@id`, `@unique` or add a multi field criterion with `@@id([])` or `@@unique([])` to the model.",
                at: model.name.range,
                hint: "for example `id Int @id @default(autoincrement())`"
            )
        }
    }

    static func hasUniqueCriterion(_ model: Block) -> Bool {
        // Usable fields: not `Unsupported`, not `@ignore`d. Asked of the fields in place, without
        // collecting them: every model is checked.
        func isUsable(_ field: borrowing Field) -> Bool { field.type.unsupported == nil && !field.has(.ignore) }
        let fields = model.fields
        if fields.containsInPlace(where: { isUsable($0) && $0.has(.id) }) { return true }
        if fields.containsInPlace(where: { isUsable($0) && $0.has(.unique) && $0.type.arity == .required }) {
            return true
        }
        if model.has(.id) { return true }
        return model.blockAttributes(.unique).contains { attribute in
            let names = IndexRules.fieldNames(of: attribute).map(\.name)
            return !names.isEmpty
                && names.allSatisfy { name in
                    fields.containsInPlace { isUsable($0) && $0.name.name == name && $0.type.arity == .required }
                }
        }
    }
}
