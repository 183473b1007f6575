/// Parses Prisma schema text into a `SchemaFile` by recursive descent.
///
/// A syntax error is recorded and parsing resumes at the next line (or the next block when a
/// block is left unclosed), so one run reports every syntax error of a file.
public struct SchemaParser {
    /// Tokens are read as the parser goes, with the two of lookahead the grammar needs, in a
    /// ring of three: holding every token of a large file at once (tens of megabytes of fresh
    /// memory) cost more than lexing them.
    private var lexer: Lexer
    private var ring: [Token]
    private var head = 0
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
        var parser = SchemaParser(lexer: Lexer(text: source.text, file: source.path), file: source.path)
        let items = parser.parseItems()
        return (SchemaFile(path: source.path, items: items), parser.diagnostics)
    }

    init(lexer: Lexer, file: String) {
        var lexer = lexer
        ring = [lexer.next(), lexer.next(), lexer.next()]
        self.lexer = lexer
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

    /// Yielded in place: the parser looks at the current token's kind far more often than it
    /// keeps the token, and a copy costs three string references.
    var current: Token {
        _read { yield ring[head] }
    }

    /// The token `offset` (1 or 2) after the current one.
    func peek(_ offset: Int = 1) -> Token {
        ring[(head + min(max(offset, 0), 2)) % 3]
    }

    /// Moves to the next token; at the end, stays on `.end`.
    mutating func advance() {
        guard ring[head].kind != .end else { return }
        // The slot of the token left behind takes the one two after the new current token.
        ring[head] = lexer.next()
        head = (head + 1) % 3
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
