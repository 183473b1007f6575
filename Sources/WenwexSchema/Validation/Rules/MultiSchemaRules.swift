/// Multi-schema databases (`schemas = ["public", "auth"]`): every model and enum names its
/// schema with `@@schema`, and only schemas the datasource lists.
enum MultiSchemaRules {
    /// The schemas the datasource lists (`schemas = […]`), worked out once for every block.
    static func declaredSchemas(_ context: ValidationContext) -> [String]? {
        context.datasource?.property("schemas")?.value.elements.compactMap(\.stringValue)
    }

    /// The `@@schema` of one model, view or enum.
    static func check(_ block: Block, declared: [String]?, _ context: inout ValidationContext) {
        guard block.kind == .model || block.kind == .view || block.kind == .enum else { return }
        let attribute = block.blockAttribute(.schema)
        guard let attribute else {
            if declared != nil, context.provider == .postgresql {
                context.error(
                    "This \(block.kind.displayName) is missing an `@@schema` attribute.",
                    at: block.name.range,
                    hint: "add `@@schema(\"\(declared?.first ?? "public")\")`"
                )
            }
            return
        }
        if context.provider == .sqlite {
            context.error(
                "@@schema is not supported on the current datasource provider",
                at: attribute.range,
                hint: "SQLite has one schema per database file; remove `@@schema`"
            )
            return
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
