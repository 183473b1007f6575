extension SchemaParser {
    mutating func parseField() throws(ParseFailure) -> Field {
        let documentation = takeDocumentation()
        let name = Identifier(text(current), range: range(current))
        // Prisma takes any letter in model and enum value names, but only ASCII in field names.
        if name.name.utf8.contains(where: { $0 >= 0x80 }) {
            throw ParseFailure(
                message: "This line is not a valid field or attribute definition.",
                range: name.range,
                hint:
                    "field names use ASCII letters, digits and `_`; keep the column's name with `@map(\"\(name.name)\")`"
            )
        }
        advance()
        guard current.kind == .identifier else {
            throw ParseFailure(
                message: "This field declaration is invalid. It is either missing a name or a type.",
                range: name.range,
                hint: "a field is written `name Type`, for example `\(name.name) String`"
            )
        }
        let type = try parseFieldType()
        let attributes = try parseFieldAttributes(after: name.name)
        let comment = try endOfLine()
        return Field(
            name: name,
            type: type,
            attributes: attributes,
            documentation: documentation,
            trailingComment: comment,
            range: name.range.through(attributes.last?.range ?? type.range)
        )
    }

    /// `Type`, `Type?`, `Type[]`, `Unsupported("…")` with its modifier.
    private mutating func parseFieldType() throws(ParseFailure) -> FieldType {
        let nameToken = current
        advance()
        var typeRange = range(nameToken)
        var unsupported: String?
        if spells(nameToken, "Unsupported"), current.kind == .leftParen {
            advance()
            guard let value = consume(.string) else {
                throw ParseFailure(
                    message: "`Unsupported` takes the database type as a string: `Unsupported(\"circle\")`.",
                    range: range(current)
                )
            }
            guard let close = consume(.rightParen) else {
                throw ParseFailure(message: "Expected `)` after the type of `Unsupported`.", range: range(current))
            }
            unsupported = text(value)
            typeRange = typeRange.through(range(close))
        }
        let nameRange = typeRange
        var arity = FieldType.Arity.required
        if let question = consume(.question) {
            arity = .optional
            typeRange = typeRange.through(range(question))
        } else if current.kind == .leftBracket {
            advance()
            guard let close = consume(.rightBracket) else {
                throw ParseFailure(
                    message: "Expected `]` after `[` in the type of a list field.",
                    range: range(current)
                )
            }
            arity = .list
            typeRange = typeRange.through(range(close))
            if current.kind == .question {
                throw ParseFailure(
                    message: "Optional lists are not supported. Use either `Type[]` or `Type?`.",
                    range: typeRange.through(range(current))
                )
            }
        }
        return FieldType(
            name: text(nameToken),
            unsupported: unsupported,
            arity: arity,
            nameRange: nameRange,
            range: typeRange
        )
    }

    /// The `@…` attributes of a field or enum value, up to the end of the line.
    mutating func parseFieldAttributes(after name: String) throws(ParseFailure) -> [Attribute] {
        var attributes: [Attribute] = []
        while true {
            switch current.kind {
            case .at:
                if attributes.isEmpty { attributes.reserveCapacity(4) }
                attributes.append(try parseAttribute())
            case .newline, .end, .comment, .docComment, .rightBrace:
                return attributes
            case .atAt:
                throw ParseFailure(
                    message: "Block attributes (`@@`) go on their own line, after the fields.",
                    range: range(current)
                )
            default:
                throw ParseFailure(
                    message: "Unexpected `\(raw(current))` after `\(name)`; expected an attribute starting with `@`.",
                    range: range(current)
                )
            }
        }
    }

    /// `@name`, `@db.Type(args)`, `@@name(args)`.
    mutating func parseAttribute() throws(ParseFailure) -> Attribute {
        let marker = current
        let isBlock = marker.kind == .atAt
        advance()
        guard current.kind == .identifier, current.start.offset == marker.end.offset else {
            throw ParseFailure(
                message: "Expected an attribute name after `\(raw(marker))`.",
                range: current.kind == .newline || current.kind == .end ? range(marker) : range(current)
            )
        }
        let first = current
        var last = current
        var name = text(current)
        advance()
        while current.kind == .dot, peek().kind == .identifier {
            advance()
            name += "." + text(current)
            last = current
            advance()
        }
        let nameRange = SourceRange(fileName: fileName, start: first.start, end: last.end)
        var attributeRange = range(marker).through(nameRange)
        var arguments: [Argument]?
        if current.kind == .leftParen {
            let (parsed, close) = try parseArgumentList()
            arguments = parsed
            attributeRange = attributeRange.through(close)
        }
        return Attribute(
            name: name,
            nameRange: nameRange,
            isBlockAttribute: isBlock,
            arguments: arguments,
            range: attributeRange
        )
    }
}
