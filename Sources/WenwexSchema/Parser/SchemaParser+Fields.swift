extension SchemaParser {
    mutating func parseField() throws(ParseFailure) -> Field {
        let documentation = takeDocumentation()
        let name = Identifier(current.text, range: current.range)
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
        var range = nameToken.range
        var unsupported: String?
        if nameToken.text == "Unsupported", current.kind == .leftParen {
            advance()
            guard let value = consume(.string) else {
                throw ParseFailure(
                    message: "`Unsupported` takes the database type as a string: `Unsupported(\"circle\")`.",
                    range: current.range
                )
            }
            guard let close = consume(.rightParen) else {
                throw ParseFailure(message: "Expected `)` after the type of `Unsupported`.", range: current.range)
            }
            unsupported = value.text
            range = range.through(close.range)
        }
        let nameRange = range
        var arity = FieldType.Arity.required
        if let question = consume(.question) {
            arity = .optional
            range = range.through(question.range)
        } else if current.kind == .leftBracket {
            advance()
            guard let close = consume(.rightBracket) else {
                throw ParseFailure(message: "Expected `]` after `[` in the type of a list field.", range: current.range)
            }
            arity = .list
            range = range.through(close.range)
            if current.kind == .question {
                throw ParseFailure(
                    message: "Optional lists are not supported. Use either `Type[]` or `Type?`.",
                    range: range.through(current.range)
                )
            }
        }
        return FieldType(
            name: nameToken.text,
            unsupported: unsupported,
            arity: arity,
            nameRange: nameRange,
            range: range
        )
    }

    /// The `@…` attributes of a field or enum value, up to the end of the line.
    mutating func parseFieldAttributes(after name: String) throws(ParseFailure) -> [Attribute] {
        var attributes: [Attribute] = []
        while true {
            switch current.kind {
            case .at:
                attributes.append(try parseAttribute())
            case .newline, .end, .comment, .docComment, .rightBrace:
                return attributes
            case .atAt:
                throw ParseFailure(
                    message: "Block attributes (`@@`) go on their own line, after the fields.",
                    range: current.range
                )
            default:
                throw ParseFailure(
                    message: "Unexpected `\(current.raw)` after `\(name)`; expected an attribute starting with `@`.",
                    range: current.range
                )
            }
        }
    }

    /// `@name`, `@db.Type(args)`, `@@name(args)`.
    mutating func parseAttribute() throws(ParseFailure) -> Attribute {
        let marker = current
        let isBlock = marker.kind == .atAt
        advance()
        guard current.kind == .identifier, current.range.start.offset == marker.range.end.offset else {
            throw ParseFailure(
                message: "Expected an attribute name after `\(marker.raw)`.",
                range: current.kind == .newline || current.kind == .end ? marker.range : current.range
            )
        }
        var name = current.text
        var nameRange = current.range
        advance()
        while current.kind == .dot, peek().kind == .identifier {
            advance()
            name += "." + current.text
            nameRange = nameRange.through(current.range)
            advance()
        }
        var range = marker.range.through(nameRange)
        var arguments: [Argument]?
        if current.kind == .leftParen {
            let (parsed, close) = try parseArgumentList()
            arguments = parsed
            range = range.through(close)
        }
        return Attribute(
            name: name,
            nameRange: nameRange,
            isBlockAttribute: isBlock,
            arguments: arguments,
            range: range
        )
    }
}
