extension SchemaParser {
    /// Parses `keyword Name { … }`; returns `nil` when the header is too broken to name a block.
    mutating func parseBlock() -> Block? {
        let keyword = current
        let kind = blockKind(keyword)!
        let documentation = takeDocumentation()
        advance()
        atLineStart = false
        guard current.kind == .identifier else {
            fail(
                "A \(kind.rawValue) declaration needs a name: `\(kind.rawValue) Name {`.",
                at: current.kind == .end || current.kind == .newline ? range(keyword) : range(current)
            )
            skipBrokenBlock()
            return nil
        }
        let name = Identifier(text(current), range: range(current))
        currentBlock = (kind.rawValue, name.name, range(keyword))
        advance()
        guard current.kind == .leftBrace else {
            fail(
                "Expected `{` after `\(kind.rawValue) \(name.name)`.",
                at: current.kind == .newline || current.kind == .end ? name.range : range(current)
            )
            skipBrokenBlock()
            return nil
        }
        advance()
        // Room for a typical model up front, rather than growing the list five times.
        var members: [Block.Member] = []
        members.reserveCapacity(32)
        // Whether the last member is a blank line, known without copying it out to compare.
        var lastIsBlankLine = false
        atLineStart = false
        while true {
            let token = current
            switch token.kind {
            case .end:
                fail("The \(kind.rawValue) \"\(name.name)\" is missing its closing brace `}`.", at: name.range)
                return Block(
                    kind: kind,
                    name: name,
                    members: members,
                    documentation: documentation,
                    range: range(keyword).through(range(token))
                )
            case .rightBrace:
                advance()
                atLineStart = false
                return Block(
                    kind: kind,
                    name: name,
                    members: trimBlankLines(members),
                    documentation: documentation,
                    range: range(keyword).through(range(token))
                )
            case .newline:
                if atLineStart, !lastIsBlankLine {
                    members.append(.blankLine)
                    lastIsBlankLine = true
                }
                advance()
                atLineStart = true
                continue
            case .comment:
                members.append(.comment(Comment(text: text(token), range: range(token))))
                lastIsBlankLine = false
                advance()
            case .docComment:
                pendingDocumentation.append(text(token))
                advance()
            case .identifier where startsNextBlock:
                fail("The \(kind.rawValue) \"\(name.name)\" is missing its closing brace `}`.", at: name.range)
                return Block(
                    kind: kind,
                    name: name,
                    members: trimBlankLines(members),
                    documentation: documentation,
                    range: range(keyword).through(name.range)
                )
            default:
                do throws(ParseFailure) {
                    if let member = try parseMember(in: kind) {
                        members.append(member)
                        lastIsBlankLine = false
                    }
                } catch {
                    fail(error.message, at: error.range, hint: error.hint)
                    pendingDocumentation = []
                    skipToEndOfLine()
                }
            }
            atLineStart = false
        }
    }

    /// `model Name {` at the start of a line inside a block: the block before was left open.
    private var startsNextBlock: Bool {
        atLineStart && peek().kind == .identifier && peek(2).kind == .leftBrace && blockKind(current) != nil
    }

    private func trimBlankLines(_ members: consuming [Block.Member]) -> [Block.Member] {
        while case .blankLine? = members.first { members.removeFirst() }
        while case .blankLine? = members.last { members.removeLast() }
        return members
    }

    /// Skips a block whose header did not parse: to its closing brace, or the end of the line.
    private mutating func skipBrokenBlock() {
        var depth = 0
        while current.kind != .end {
            if current.kind == .leftBrace { depth += 1 }
            if current.kind == .rightBrace {
                depth -= 1
                if depth <= 0 {
                    advance()
                    return
                }
            }
            if current.kind == .newline && depth == 0 { return }
            advance()
        }
    }

    private mutating func parseMember(in kind: Block.Kind) throws(ParseFailure) -> Block.Member? {
        let token = current
        switch (token.kind, kind) {
        case (.atAt, _) where kind != .datasource && kind != .generator:
            let attribute = try parseAttribute()
            return .attribute(attribute, trailingComment: try endOfLine())
        case (.identifier, .datasource), (.identifier, .generator):
            return .property(try parseProperty())
        case (.identifier, .enum):
            return .enumValue(try parseEnumValue())
        case (.identifier, _):
            return .field(try parseField())
        default:
            throw ParseFailure(
                message: kind == .datasource || kind == .generator
                    ? "This line is not a valid definition within a \(kind.rawValue)."
                    : "This line is not a valid field or attribute definition.",
                range: range(token)
            )
        }
    }

    /// After a member: an optional `//` comment, then a line break, `}` or the end.
    mutating func endOfLine() throws(ParseFailure) -> Comment? {
        var comment: Comment?
        if current.kind == .comment {
            comment = Comment(text: text(current), range: range(current))
            advance()
        }
        if current.kind == .docComment { advance() }
        switch current.kind {
        case .newline, .end, .rightBrace: return comment
        default:
            throw ParseFailure(
                message: "Unexpected `\(raw(current))`; expected the end of the line.",
                range: range(current)
            )
        }
    }

    private mutating func parseProperty() throws(ParseFailure) -> ConfigProperty {
        let documentation = takeDocumentation()
        let name = Identifier(text(current), range: range(current))
        advance()
        guard consume(.equals) != nil else {
            throw ParseFailure(
                message: "Expected `=` after `\(name.name)`: properties are written `\(name.name) = value`.",
                range: current.kind == .newline || current.kind == .end ? name.range : range(current)
            )
        }
        if current.kind == .newline || current.kind == .end || current.kind == .rightBrace, let block = currentBlock {
            throw ParseFailure(
                message: "Property \(name.name) in \(block.kind) \(block.name) needs to be assigned a value",
                range: block.range.through(name.range),
                hint: "write `\(name.name) = value`, or remove the line"
            )
        }
        allowsLineBreaks = true
        defer { allowsLineBreaks = false }
        let value = try parseExpression()
        let comment = try endOfLine()
        return ConfigProperty(
            name: name,
            value: value,
            documentation: documentation,
            trailingComment: comment,
            range: name.range.through(value.range)
        )
    }

    private mutating func parseEnumValue() throws(ParseFailure) -> EnumValue {
        let documentation = takeDocumentation()
        let name = Identifier(text(current), range: range(current))
        advance()
        let attributes = try parseFieldAttributes(after: name.name)
        let comment = try endOfLine()
        return EnumValue(
            name: name,
            attributes: attributes,
            documentation: documentation,
            trailingComment: comment,
            range: name.range.through(attributes.last?.range ?? name.range)
        )
    }
}
