/// One lexical unit of the Prisma schema language.
struct Token: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case identifier
        /// A double-quoted string; `text` is the decoded value, `raw` the source spelling.
        case string
        case number
        case leftBrace, rightBrace, leftParen, rightParen, leftBracket, rightBracket
        case comma, colon, equals, question, dot
        /// `@`
        case at
        /// `@@`
        case atAt
        case newline
        /// `// …`; `text` is what follows the slashes.
        case comment
        /// `/// …`; `text` is what follows the slashes.
        case docComment
        /// A character the language does not use, or an unterminated string.
        case invalid
        case end
    }

    var kind: Kind
    var text: String
    var raw: String
    var range: SourceRange
}
