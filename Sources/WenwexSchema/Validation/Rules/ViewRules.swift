/// Views (`view Name { … }`): a preview feature in Prisma (`views`), read from the database
/// rather than created by migrations, so they carry no primary key or index, and implicit
/// many-to-many relations (which need a join table keyed by ids) cannot involve them.
enum ViewRules {
    static func check(_ block: Block, _ context: inout ValidationContext) {
        guard block.kind == .view else { return }
        guard context.previewFeatures.contains("views") else {
            context.error(
                "Error validating: View definitions are only available with the `views` preview feature.",
                at: block.name.range,
                hint: "add `previewFeatures = [\"views\"]` to the generator"
            )
            return
        }
        for field in block.fields {
            if let id = field.attribute(.id) {
                context.error("Error validating: Views cannot have primary keys.", at: id.range)
            }
        }
        for attribute in block.blockAttributes {
            if attribute.is(.id) {
                context.error("Error validating: Views cannot have primary keys.", at: attribute.range)
            } else if attribute.is(.index) {
                context.error("Error validating: Views cannot have indexes.", at: attribute.range)
            }
        }
        for field in block.fields where field.type.isList {
            guard case .model(let target)? = context.resolve(field.type),
                target.fields.contains(where: { $0.type.isList && $0.type.name == block.name.name })
            else { continue }
            context.error(
                "Error validating: Implicit many-to-many relations are not supported for views.",
                at: field.range,
                hint: "model the relation with an explicit table"
            )
        }
    }

    /// A model's list field pointing at a view that points back: the model side of an implicit
    /// many-to-many relation with a view.
    static func checkModelSide(_ block: Block, _ context: inout ValidationContext) {
        guard block.kind == .model else { return }
        for field in block.fields where field.type.isList {
            guard case .model(let target)? = context.resolve(field.type), target.kind == .view,
                context.previewFeatures.contains("views"),
                target.fields.contains(where: { $0.type.isList && $0.type.name == block.name.name })
            else { continue }
            context.error(
                "Error validating: Implicit many-to-many relations are not supported for views.",
                at: field.range,
                hint: "model the relation with an explicit table"
            )
        }
    }
}
