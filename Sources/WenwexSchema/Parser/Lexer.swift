/// Splits schema text into tokens, keeping comments and line breaks.
///
/// The language is line-oriented (one field per line), so line breaks are tokens; comments are
/// tokens too, because the formatter must keep them.
///
/// It reads UTF-8 bytes: every character with a meaning in the language is ASCII, so lexing
/// never decodes Unicode scalars. Lines, columns and offsets still count scalars (a UTF-8
/// continuation byte adds nothing), as diagnostics and editors expect.
struct Lexer {
    /// The text as UTF-8, without carriage returns and without a leading byte order mark.
    private let bytes: [UInt8]
    private var index = 0
    /// The scalar offset of `index`, which `SourceLocation.offset` counts in.
    private var scalarIndex = 0
    private var line = 1
    private var column = 1

    init(text: String) {
        var bytes = Array(text.utf8)
        // `\r` is one byte in UTF-8 and never part of a longer sequence: removing the byte
        // removes the scalar.
        if bytes.contains(UInt8(ascii: "\r")) { bytes.removeAll(where: { $0 == UInt8(ascii: "\r") }) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
    }

    /// The text of a token: an identifier or number as written, a string's decoded value, a
    /// comment's text after its slashes, anything else as written.
    func text(of token: Token) -> String {
        switch token.kind {
        case .string:
            let contents = Int(token.startByte + 1)..<Int(token.endByte - 1)
            return token.hasEscapes ? unescaped(contents) : String(decoding: bytes[contents], as: UTF8.self)
        case .comment:
            // A block comment keeps its delimiters (the formatter writes it back as it was); a
            // line comment's text is what follows `//`, which never starts with `/*`.
            let offset: UInt32 = bytes[Int(token.startByte + 1)] == UInt8(ascii: "*") ? 0 : 2
            return String(decoding: bytes[Int(token.startByte + offset)..<Int(token.endByte)], as: UTF8.self)
        case .docComment:
            return String(decoding: bytes[Int(token.startByte + 3)..<Int(token.endByte)], as: UTF8.self)
        default:
            return raw(of: token)
        }
    }

    /// The token as written in the source.
    func raw(of token: Token) -> String {
        String(decoding: bytes[Int(token.startByte)..<Int(token.endByte)], as: UTF8.self)
    }

    /// Whether the token is spelled `word` (ASCII), without making a string of it.
    func token(_ token: Token, is word: StaticString) -> Bool {
        let count = Int(token.endByte - token.startByte)
        guard count == word.utf8CodeUnitCount else { return false }
        let start = Int(token.startByte)
        return word.withUTF8Buffer { expected in
            for offset in 0..<count where bytes[start + offset] != expected[offset] { return false }
            return true
        }
    }

    /// The value of a string literal's contents: `\n`, `\t`, `\r` are control characters, any
    /// other escaped character stands for itself.
    private func unescaped(_ range: Range<Int>) -> String {
        var value: [UInt8] = []
        value.reserveCapacity(range.count)
        var position = range.lowerBound
        while position < range.upperBound {
            let byte = bytes[position]
            position += 1
            guard byte == UInt8(ascii: "\\"), position < range.upperBound else {
                value.append(byte)
                continue
            }
            let escaped = bytes[position]
            position += 1
            switch escaped {
            case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
            case UInt8(ascii: "r"): value.append(UInt8(ascii: "\r"))
            default: value.append(escaped)
            }
        }
        return String(decoding: value, as: UTF8.self)
    }

    private var location: SourceLocation { SourceLocation(line: line, column: column, offset: scalarIndex) }

    @inline(__always)
    private func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    /// Moves past one byte; only the first byte of a scalar moves the column and the offset.
    @inline(__always)
    private mutating func advance() {
        guard index < bytes.count else { return }
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
            scalarIndex += 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
            scalarIndex += 1
        }
    }

    /// Moves past one whole scalar (its first byte and any continuation bytes).
    private mutating func advanceScalar() {
        advance()
        while let next = peek(), next & 0xC0 == 0x80 { advance() }
    }

    /// The next token; `.end` once the text is used up, and on every call after that.
    mutating func next() -> Token {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { advance() }
        let start = location
        let startIndex = index
        guard let byte = peek() else { return make(.end, from: start, startIndex) }
        switch byte {
        case UInt8(ascii: "\n"):
            advance()
            return make(.newline, from: start, startIndex)
        case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
            return comment(from: start, startIndex)
        case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
            return blockComment(from: start, startIndex)
        case UInt8(ascii: "\""):
            return string(from: start, startIndex)
        case UInt8(ascii: "@"):
            advance()
            if peek() == UInt8(ascii: "@") {
                advance()
                return make(.atAt, from: start, startIndex)
            }
            return make(.at, from: start, startIndex)
        default:
            break
        }
        if let kind = Self.punctuation(byte) {
            advance()
            return make(kind, from: start, startIndex)
        }
        if byte.isIdentifierStart {
            advance()
            while let next = peek(), next.isIdentifierContinuation { advance() }
            return make(.identifier, from: start, startIndex)
        }
        if byte.isDigit || (byte == UInt8(ascii: "-") && peek(1)?.isDigit == true) {
            advance()
            while let next = peek(),
                next.isDigit || next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E")
            {
                advance()
            }
            return make(.number, from: start, startIndex)
        }
        advanceScalar()
        return make(.invalid, from: start, startIndex)
    }

    /// A switch, not a dictionary: hashing every token's first character showed up in profiles.
    private static func punctuation(_ byte: UInt8) -> Token.Kind? {
        switch byte {
        case UInt8(ascii: "{"): .leftBrace
        case UInt8(ascii: "}"): .rightBrace
        case UInt8(ascii: "("): .leftParen
        case UInt8(ascii: ")"): .rightParen
        case UInt8(ascii: "["): .leftBracket
        case UInt8(ascii: "]"): .rightBracket
        case UInt8(ascii: ","): .comma
        case UInt8(ascii: ":"): .colon
        case UInt8(ascii: "="): .equals
        case UInt8(ascii: "?"): .question
        case UInt8(ascii: "."): .dot
        default: nil
        }
    }

    private mutating func comment(from start: SourceLocation, _ startIndex: Int) -> Token {
        advance()
        advance()
        var kind = Token.Kind.comment
        if peek() == UInt8(ascii: "/") {
            kind = .docComment
            advance()
        }
        while let byte = peek(), byte != UInt8(ascii: "\n") { advance() }
        return make(kind, from: start, startIndex)
    }

    /// `/* … */`, which may span lines (Prisma accepts it wherever a `//` comment may stand);
    /// an unclosed one runs to the end of the text.
    private mutating func blockComment(from start: SourceLocation, _ startIndex: Int) -> Token {
        advance()
        advance()
        while let byte = peek() {
            if byte == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                advance()
                advance()
                break
            }
            advance()
        }
        return make(.comment, from: start, startIndex)
    }

    /// A string literal up to its closing quote on the same line; a backslash escapes the
    /// character after it (even a line break).
    private mutating func string(from start: SourceLocation, _ startIndex: Int) -> Token {
        advance()
        var hasEscapes = false
        while let byte = peek(), byte != UInt8(ascii: "\n") {
            if byte == UInt8(ascii: "\"") {
                advance()
                var token = make(.string, from: start, startIndex)
                token.hasEscapes = hasEscapes
                return token
            }
            if byte == UInt8(ascii: "\\"), peek(1) != nil {
                hasEscapes = true
                advance()
                advanceScalar()
                continue
            }
            advance()
        }
        return make(.invalid, from: start, startIndex)
    }

    @inline(__always)
    private func make(_ kind: Token.Kind, from start: SourceLocation, _ startIndex: Int) -> Token {
        Token(
            kind: kind,
            start: start,
            end: location,
            startByte: UInt32(truncatingIfNeeded: startIndex),
            endByte: UInt32(truncatingIfNeeded: index)
        )
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    fileprivate var isIdentifierStart: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
            || self == UInt8(ascii: "_")
            // Any non-ASCII scalar (each of its UTF-8 bytes is 0x80 or above): Prisma accepts
            // identifiers like `Lööp`.
            || self >= 0x80
    }
    fileprivate var isIdentifierContinuation: Bool { isIdentifierStart || isDigit || self == UInt8(ascii: "-") }
}
