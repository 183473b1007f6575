/// Names must be unique: top-level declarations among themselves, fields within their block,
/// values within their enum.
enum NameRules {
    /// The names inside one block (after `checkTopLevel`).
    static func check(_ block: Block, _ context: inout ValidationContext) {
        switch block.kind {
        case .model, .view, .type:
            checkFields(block, &context)
        case .enum:
            checkValues(block, &context)
        case .datasource, .generator:
            break
        }
    }

    /// The names of the declarations, before any block is checked.
    static func checkTopLevel(_ context: inout ValidationContext) {
        var types = [String: Block](minimumCapacity: context.schema.blocks.count)
        var configs: [String: Block] = [:]
        for block in context.schema.blocks {
            let isConfig = block.kind == .datasource || block.kind == .generator
            let existing = isConfig ? configs[block.name.name] : types[block.name.name]
            if let existing {
                context.error(
                    "The \(block.kind.displayName) \"\(block.name.name)\" cannot be defined because a \(existing.kind.displayName) with that name already exists.",
                    at: block.name.range,
                    hint: "rename one of them; the first is at \(existing.name.range)"
                )
            } else if isConfig {
                configs[block.name.name] = block
            } else {
                types[block.name.name] = block
            }
        }
    }

    private static func checkFields(_ block: Block, _ context: inout ValidationContext) {
        let fields = block.fields
        for index in DuplicateNames.repeated(fields.count, name: { fields[$0].name.name }) {
            let field = fields[index]
            context.error(
                "Field \"\(field.name.name)\" is already defined on \(block.kind.displayName) \"\(block.name.name)\".",
                at: field.name.range
            )
        }
    }

    private static func checkValues(_ block: Block, _ context: inout ValidationContext) {
        var seen: Set<String> = []
        for value in block.enumValues where !seen.insert(value.name.name).inserted {
            context.error(
                "Value \"\(value.name.name)\" is already defined on enum \"\(block.name.name)\".",
                at: value.name.range
            )
        }
    }
}

extension Block.Kind {
    /// The kind as Prisma's messages name it.
    var displayName: String {
        switch self {
        case .type: "composite type"
        case .datasource: "datasource"
        default: rawValue
        }
    }
}
