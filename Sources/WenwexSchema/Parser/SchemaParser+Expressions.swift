extension SchemaParser {
    /// `( argument, … )` on one line. Returns the arguments and the closing parenthesis's range.
    mutating func parseArgumentList() throws(ParseFailure) -> ([Argument], SourceRange) {
        advance()
        var arguments: [Argument] = []
        while true {
            skipLineBreaksInsideBrackets()
            if let close = consume(.rightParen) { return (arguments, range(close)) }
            arguments.append(try parseArgument())
            skipLineBreaksInsideBrackets()
            if consume(.comma) != nil { continue }
            if let close = consume(.rightParen) { return (arguments, range(close)) }
            throw ParseFailure(
                message: "Expected `,` or `)` in the argument list, found \(describe(current)).",
                range: range(current)
            )
        }
    }

    private mutating func parseArgument() throws(ParseFailure) -> Argument {
        if current.kind == .identifier, peek().kind == .colon {
            let name = Identifier(text(current), range: range(current))
            advance()
            advance()
            skipLineBreaksInsideBrackets()
            let value = try parseExpression()
            return Argument(name: name, value: value, range: name.range.through(value.range))
        }
        let value = try parseExpression()
        return Argument(name: nil, value: value, range: value.range)
    }

    /// A string, number, constant, function call or array.
    mutating func parseExpression() throws(ParseFailure) -> Expression {
        let token = current
        switch token.kind {
        case .string:
            advance()
            return Expression(.string(text(token), raw: raw(token)), range: range(token))
        case .number:
            advance()
            return Expression(.number(raw(token)), range: range(token))
        case .identifier:
            advance()
            guard current.kind == .leftParen else {
                return Expression(.constant(text(token)), range: range(token))
            }
            let (arguments, close) = try parseArgumentList()
            return Expression(.function(name: text(token), arguments: arguments), range: range(token).through(close))
        case .leftBracket:
            advance()
            var elements: [Expression] = []
            while true {
                skipLineBreaksInsideBrackets()
                if let close = consume(.rightBracket) {
                    return Expression(.array(elements), range: range(token).through(range(close)))
                }
                elements.append(try parseExpression())
                skipLineBreaksInsideBrackets()
                if consume(.comma) != nil { continue }
                if let close = consume(.rightBracket) {
                    return Expression(.array(elements), range: range(token).through(range(close)))
                }
                throw ParseFailure(
                    message: "Expected `,` or `]` in the list, found \(describe(current)).",
                    range: range(current)
                )
            }
        case .invalid where raw(token).hasPrefix("\""):
            throw ParseFailure(message: "This string is missing its closing `\"`.", range: range(token))
        default:
            throw ParseFailure(message: "Expected a value, found \(describe(token)).", range: range(token))
        }
    }

    /// Lists in datasource and generator properties may span lines (`previewFeatures = [ … ]`);
    /// attributes stay on their line, so an unclosed parenthesis is reported where it is.
    private mutating func skipLineBreaksInsideBrackets() {
        guard allowsLineBreaks else { return }
        while current.kind == .newline || current.kind == .comment || current.kind == .docComment { advance() }
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .newline: return "the end of the line"
        case .end: return "the end of the file"
        default: return "`\(raw(token))`"
        }
    }
}
