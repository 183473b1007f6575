/// One lexical unit of the Prisma schema language.
///
/// A token is plain data (no strings, no references): where it starts and ends, both as source
/// locations and as byte offsets into the lexer's text. The parser copies and compares tokens
/// far more often than it keeps their text, so the text is cut out (`Lexer.text(of:)`) only
/// for the tokens that become part of the syntax tree.
struct Token: Sendable, Hashable {
    enum Kind: UInt8, Sendable, Hashable {
        case identifier
        /// A double-quoted string; `Lexer.text(of:)` is the decoded value, `raw(of:)` the source spelling.
        case string
        case number
        case leftBrace, rightBrace, leftParen, rightParen, leftBracket, rightBracket
        case comma, colon, equals, question, dot
        /// `@`
        case at
        /// `@@`
        case atAt
        case newline
        /// `// …`; `Lexer.text(of:)` is what follows the slashes.
        case comment
        /// `/// …`; `Lexer.text(of:)` is what follows the slashes.
        case docComment
        /// A character the language does not use, or an unterminated string.
        case invalid
        case end
    }

    var kind: Kind
    /// Whether a string token contains a backslash escape, so its value differs from its spelling
    /// between the quotes.
    var hasEscapes = false
    var start: SourceLocation
    var end: SourceLocation
    /// The token's bytes in the lexer's UTF-8 text.
    var startByte: UInt32
    var endByte: UInt32
}
