extension SchemaParser {
    /// `( argument, … )` on one line. Returns the arguments and the closing parenthesis's range.
    mutating func parseArgumentList() throws(ParseFailure) -> ([Argument], SourceRange) {
        advance()
        var arguments: [Argument] = []
        while true {
            skipLineBreaksInsideBrackets()
            if let close = consume(.rightParen) { return (arguments, close.range) }
            arguments.append(try parseArgument())
            skipLineBreaksInsideBrackets()
            if consume(.comma) != nil { continue }
            if let close = consume(.rightParen) { return (arguments, close.range) }
            throw ParseFailure(
                message: "Expected `,` or `)` in the argument list, found \(describe(current)).",
                range: current.range
            )
        }
    }

    private mutating func parseArgument() throws(ParseFailure) -> Argument {
        if current.kind == .identifier, peek().kind == .colon {
            let name = Identifier(current.text, range: current.range)
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
            return Expression(.string(token.text, raw: token.raw), range: token.range)
        case .number:
            advance()
            return Expression(.number(token.raw), range: token.range)
        case .identifier:
            advance()
            guard current.kind == .leftParen else {
                return Expression(.constant(token.text), range: token.range)
            }
            let (arguments, close) = try parseArgumentList()
            return Expression(.function(name: token.text, arguments: arguments), range: token.range.through(close))
        case .leftBracket:
            advance()
            var elements: [Expression] = []
            while true {
                skipLineBreaksInsideBrackets()
                if let close = consume(.rightBracket) {
                    return Expression(.array(elements), range: token.range.through(close.range))
                }
                elements.append(try parseExpression())
                skipLineBreaksInsideBrackets()
                if consume(.comma) != nil { continue }
                if let close = consume(.rightBracket) {
                    return Expression(.array(elements), range: token.range.through(close.range))
                }
                throw ParseFailure(
                    message: "Expected `,` or `]` in the list, found \(describe(current)).",
                    range: current.range
                )
            }
        case .invalid where token.raw.hasPrefix("\""):
            throw ParseFailure(message: "This string is missing its closing `\"`.", range: token.range)
        default:
            throw ParseFailure(message: "Expected a value, found \(describe(token)).", range: token.range)
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
        default: return "`\(token.raw)`"
        }
    }
}
