/// Parses Prisma schema text into a `SchemaFile` by recursive descent.
///
/// A syntax error is recorded and parsing resumes at the next line (or the next block when a
/// block is left unclosed), so one run reports every syntax error of a file.
public struct SchemaParser {
    /// Tokens are read as the parser goes, with the two of lookahead the grammar needs: holding
    /// every token of a large file at once cost more than lexing them. Tokens are plain data,
    /// so moving along is three small copies.
    private var lexer: Lexer
    private var token0: Token
    private var token1: Token
    private var token2: Token
    var diagnostics: [SchemaDiagnostic] = []
    /// Whether the parser is at the start of a line (so a line break there is a blank line).
    var atLineStart = true
    var pendingDocumentation: [String] = []
    /// Whether line breaks may appear inside brackets (only in datasource/generator values).
    var allowsLineBreaks = false
    /// The block being parsed: its keyword, name and where its header is.
    var currentBlock: (kind: String, name: String, range: SourceRange)?
    let file: String
    /// `file`, numbered once for every range the parser makes.
    let fileName: SourceFileName

    /// Parses one file. The syntax tree holds everything that parsed; the diagnostics name every
    /// line that did not.
    public static func parse(_ source: SchemaSource) -> (file: SchemaFile, diagnostics: [SchemaDiagnostic]) {
        var parser = SchemaParser(lexer: Lexer(text: source.text), file: source.path)
        let items = parser.parseItems()
        return (SchemaFile(path: source.path, items: items), parser.diagnostics)
    }

    init(lexer: Lexer, file: String) {
        var lexer = lexer
        token0 = lexer.next()
        token1 = lexer.next()
        token2 = lexer.next()
        self.lexer = lexer
        self.file = file
        fileName = SourceFileName(file)
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
                items.append(.comment(Comment(text: text(token), range: range(token))))
                advance()
                atLineStart = false
            case .docComment:
                pendingDocumentation.append(text(token))
                advance()
                atLineStart = false
            case .identifier where blockKind(token) != nil:
                if let block = parseBlock() { items.append(.block(block)) }
            default:
                fail(
                    "This line is invalid. It does not start with any known Prisma schema keyword.",
                    at: range(token),
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

    var current: Token { token0 }

    /// The token `offset` (1 or 2) after the current one.
    func peek(_ offset: Int = 1) -> Token {
        offset <= 1 ? token1 : token2
    }

    /// Moves to the next token; at the end, stays on `.end`.
    mutating func advance() {
        guard token0.kind != .end else { return }
        token0 = token1
        token1 = token2
        token2 = lexer.next()
    }

    /// The text of `token` (a string's value, a comment's text after the slashes).
    func text(_ token: Token) -> String { lexer.text(of: token) }

    /// `token` as written.
    func raw(_ token: Token) -> String { lexer.raw(of: token) }

    /// Where `token` is, in this file.
    func range(_ token: Token) -> SourceRange {
        SourceRange(fileName: fileName, start: token.start, end: token.end)
    }

    /// Whether `token` is spelled `word`, without making a string of it.
    func spells(_ token: Token, _ word: StaticString) -> Bool { lexer.token(token, is: word) }

    /// The block keyword `token` spells, if any, without making a string of it.
    func blockKind(_ token: Token) -> Block.Kind? {
        guard token.kind == .identifier else { return nil }
        switch token.endByte - token.startByte {
        case 4:
            if lexer.token(token, is: "view") { return .view }
            if lexer.token(token, is: "type") { return .type }
            if lexer.token(token, is: "enum") { return .enum }
        case 5:
            if lexer.token(token, is: "model") { return .model }
        case 9:
            if lexer.token(token, is: "generator") { return .generator }
        case 10:
            if lexer.token(token, is: "datasource") { return .datasource }
        default:
            break
        }
        return nil
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
