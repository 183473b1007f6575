/// Writes pulled models and enums as schema text. The layout is rough on purpose: the result
/// goes through `SchemaFormatter`, which aligns it the way `prisma format` does.
enum PullPrinter {
    static func text(models: [PulledModel], enums: [PulledEnum]) -> String {
        let blocks = models.map(block) + enums.map(block)
        return blocks.joined(separator: "\n\n") + (blocks.isEmpty ? "" : "\n")
    }

    private static func block(_ model: PulledModel) -> String {
        var lines = model.documentation.map { "///" + $0 }
        lines.append("model \(model.name) {")
        for field in model.fields {
            lines += field.documentation.map { "  ///" + $0 }
            let attributes = field.attributes.enumerated()
                .sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
            lines.append("  " + ([field.name, field.type] + attributes).joined(separator: " "))
        }
        if !model.attributes.isEmpty {
            lines.append("")
            lines += model.attributes.map { "  " + $0 }
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    private static func block(_ enumeration: PulledEnum) -> String {
        var lines = ["enum \(enumeration.name) {"]
        for value in enumeration.values {
            let map = value.name == value.database ? "" : " @map(\(PullText.quoted(value.database)))"
            lines.append("  \(value.name)\(map)")
        }
        if !enumeration.attributes.isEmpty {
            lines.append("")
            lines += enumeration.attributes.map { "  " + $0 }
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    /// Field attributes in the order `prisma db pull` writes them: `@id`, `@default`,
    /// `@updatedAt`, `@unique`, `@map`, `@db.…`, `@relation`.
    private static func rank(_ attribute: String) -> Int {
        let name = attribute.prefix { $0 != "(" }
        switch name {
        case "@id": return 0
        case "@default", "@updatedAt": return 1
        case "@unique": return 2
        case "@map": return 3
        case "@relation": return 5
        default: return 4
        }
    }
}
