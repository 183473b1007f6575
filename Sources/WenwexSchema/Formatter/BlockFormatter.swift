/// Lays out one block: its documentation, header, aligned members and closing brace.
enum BlockFormatter {
    static func lines(for block: Block) -> [String] {
        var lines = block.documentation.map(SchemaFormatter.documentationLine)
        lines.append("\(block.kind.rawValue) \(block.name.name) {")
        let (body, attributes) = sections(of: block.members)
        var table = ColumnTable()
        for member in body { add(member, to: &table, in: block.kind) }
        if !attributes.isEmpty, !body.isEmpty { table.verbatim("") }
        for member in attributes { add(member, to: &table, in: block.kind) }
        lines += table.render()
        lines.append("}")
        return lines
    }

    /// Splits members into the fields (values, properties) and the block attributes, each with
    /// the comments written above it; blank lines collapse and never open or close a section.
    private static func sections(of members: [Block.Member]) -> (body: [Block.Member], attributes: [Block.Member]) {
        var body: [Block.Member] = []
        var attributes: [Block.Member] = []
        var pending: [Block.Member] = []
        for member in members {
            switch member {
            case .comment, .blankLine:
                if member == .blankLine, pending.last == .blankLine { continue }
                pending.append(member)
            case .attribute:
                attributes += pending + [member]
                pending = []
            case .field, .enumValue, .property:
                body += pending + [member]
                pending = []
            }
        }
        body += pending
        return (trim(body), trim(attributes))
    }

    private static func trim(_ members: [Block.Member]) -> [Block.Member] {
        var members = members
        while members.first == .blankLine { members.removeFirst() }
        while members.last == .blankLine { members.removeLast() }
        return members
    }

    private static func add(_ member: Block.Member, to table: inout ColumnTable, in kind: Block.Kind) {
        switch member {
        case .blankLine:
            table.verbatim("")
        case .comment(let comment):
            table.verbatim(SchemaFormatter.commentLine(comment))
        case .field(let field):
            documentation(field.documentation, &table)
            table.row(
                [
                    field.name.name, field.type.description, attributes(field.attributes),
                    trailing(field.trailingComment),
                ]
            )
        case .enumValue(let value):
            documentation(value.documentation, &table)
            table.row([value.name.name, attributes(value.attributes), trailing(value.trailingComment)])
        case .property(let property):
            documentation(property.documentation, &table)
            table.row([property.name.name, "= \(property.value)", trailing(property.trailingComment)])
        case .attribute(let attribute, let comment):
            table.verbatim(([attribute.description, trailing(comment)].filter { !$0.isEmpty }).joined(separator: " "))
        }
    }

    private static func documentation(_ lines: [String], _ table: inout ColumnTable) {
        for line in lines { table.verbatim(SchemaFormatter.documentationLine(line)) }
    }

    private static func attributes(_ attributes: [Attribute]) -> String {
        attributes.map(\.description).joined(separator: " ")
    }

    private static func trailing(_ comment: Comment?) -> String {
        comment.map(SchemaFormatter.commentLine) ?? ""
    }
}
