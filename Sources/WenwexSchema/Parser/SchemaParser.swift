/// Parses Prisma schema text into a `SchemaFile` by recursive descent.
///
/// A syntax error is recorded and parsing resumes at the next line (or the next block when a
/// block is left unclosed), so one run reports every syntax error of a file.
public struct SchemaParser {
    var tokens: [Token]
    var index = 0
    var diagnostics: [SchemaDiagnostic] = []
    /// Whether the parser is at the start of a line (so a line break there is a blank line).
    var atLineStart = true
    var pendingDocumentation: [String] = []
    /// Whether line breaks may appear inside brackets (only in datasource/generator values).
    var allowsLineBreaks = false
    let file: String

    /// Parses one file. The syntax tree holds everything that parsed; the diagnostics name every
    /// line that did not.
    public static func parse(_ source: SchemaSource) -> (file: SchemaFile, diagnostics: [SchemaDiagnostic]) {
        var lexer = Lexer(text: source.text, file: source.path)
        var parser = SchemaParser(tokens: lexer.tokenize(), file: source.path)
        let items = parser.parseItems()
        return (SchemaFile(path: source.path, items: items), parser.diagnostics)
    }

    init(tokens: [Token], file: String) {
        self.tokens = tokens
        self.file = file
    }

    // MARK: Top level

    private mutating func parseItems() -> [SchemaFile.Item] {
        var items: [SchemaFile.Item] = []
        while current.kind != .end {
            let token = current
            switch token.kind {
            case .newline:
                if atLineStart, items.last != .blankLine { items.append(.blankLine) }
                advance()
                atLineStart = true
            case .comment:
                items.append(.comment(Comment(text: token.text, range: token.range)))
                advance()
                atLineStart = false
            case .docComment:
                pendingDocumentation.append(token.text)
                advance()
                atLineStart = false
            case .identifier where Block.Kind(rawValue: token.text) != nil:
                if let block = parseBlock() { items.append(.block(block)) }
            default:
                fail(
                    "This line is invalid. It does not start with any known Prisma schema keyword.",
                    at: token.range,
                    hint: "a declaration starts with datasource, generator, model, view, type or enum"
                )
                skipInvalidTopLevelLine()
            }
        }
        return items
    }

    /// Skips the rest of a line, and the whole block when the line opens one.
    private mutating func skipInvalidTopLevelLine() {
        var depth = 0
        while current.kind != .end {
            switch current.kind {
            case .leftBrace: depth += 1
            case .rightBrace: depth -= 1
            case .newline where depth <= 0:
                advance()
                atLineStart = true
                return
            default: break
            }
            advance()
        }
    }

    // MARK: Tokens

    var current: Token { tokens[index] }

    func peek(_ offset: Int = 1) -> Token {
        tokens[min(index + offset, tokens.count - 1)]
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    /// Consumes the current token when it is `kind`.
    mutating func consume(_ kind: Token.Kind) -> Token? {
        guard current.kind == kind else { return nil }
        defer { advance() }
        return current
    }

    mutating func fail(_ message: String, at range: SourceRange, hint: String? = nil) {
        diagnostics.append(SchemaDiagnostic(.error, message, at: range, hint: hint))
    }

    /// Skips to the end of the current line (not consuming the line break) or a closing brace.
    mutating func skipToEndOfLine() {
        while current.kind != .newline && current.kind != .end && current.kind != .rightBrace {
            advance()
        }
    }

    /// Takes the `///` lines collected for the next declaration.
    mutating func takeDocumentation() -> [String] {
        defer { pendingDocumentation = [] }
        return pendingDocumentation
    }
}

/// A syntax error inside a line; the line parser records it and skips the rest of the line.
struct ParseFailure: Error {
    var message: String
    var range: SourceRange
    var hint: String?
}
