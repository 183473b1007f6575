/// Multi-schema databases (`schemas = ["public", "auth"]`): every model and enum names its
/// schema with `@@schema`, and only schemas the datasource lists.
enum MultiSchemaRules {
    static func check(_ context: inout ValidationContext) {
        let declared = context.datasource?.property("schemas")?.value.elements.compactMap(\.stringValue)
        for block in context.schema.blocks where [.model, .view, .enum].contains(block.kind) {
            let attribute = block.blockAttributes(named: "schema").first
            guard let attribute else {
                if declared != nil, context.provider == .postgresql {
                    context.error(
                        "This \(block.kind.displayName) is missing an `@@schema` attribute.",
                        at: block.name.range,
                        hint: "add `@@schema(\"\(declared?.first ?? "public")\")`"
                    )
                }
                continue
            }
            let name = attribute.argument("name", position: 0)?.value.stringValue
            if name == nil || !(declared ?? []).contains(name!) {
                context.error(
                    "This schema is not defined in the datasource. Read more on `@@schema` at https://pris.ly/d/multi-schema",
                    at: attribute.range,
                    hint: declared.map { "the datasource lists \($0.map { "\"\($0)\"" }.joined(separator: ", "))" }
                        ?? "list the schemas in the datasource: `schemas = [\"\(name ?? "public")\"]`"
                )
            }
        }
    }
}
