/// Splits schema text into tokens, keeping comments and line breaks.
///
/// The language is line-oriented (one field per line), so line breaks are tokens; comments are
/// tokens too, because the formatter must keep them.
struct Lexer {
    private var scalars: [Unicode.Scalar]
    /// The same text as UTF-8, to cut token text out of with one copy instead of appending
    /// scalar by scalar (which was most of the parsing time on large schemas).
    private let utf8: [UInt8]
    /// Where each scalar starts in `utf8` (plus the end); empty when the text is ASCII, where
    /// scalar and byte offsets are the same.
    private let byteOffsets: [Int]
    private var index = 0
    private var line = 1
    private var column = 1
    private let file: String

    init(text: String, file: String) {
        self.file = file
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // Most schemas are ASCII: bytes and scalars are the same, no decoding needed.
            var bytes = Array(text.utf8)
            bytes.removeAll(where: { $0 == UInt8(ascii: "\r") })
            scalars = bytes.map { Unicode.Scalar($0) }
            utf8 = bytes
            byteOffsets = []
            return
        }
        var scalars = Array(text.unicodeScalars)
        scalars.removeAll(where: { $0 == "\r" })
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        self.scalars = scalars
        if scalars.allSatisfy(\.isASCII) {
            utf8 = scalars.map { UInt8(truncatingIfNeeded: $0.value) }
            byteOffsets = []
        } else {
            var bytes: [UInt8] = []
            var offsets: [Int] = []
            bytes.reserveCapacity(scalars.count * 2)
            offsets.reserveCapacity(scalars.count + 1)
            for scalar in scalars {
                offsets.append(bytes.count)
                if let encoded = UTF8.encode(scalar) { bytes.append(contentsOf: encoded) }
            }
            offsets.append(bytes.count)
            utf8 = bytes
            byteOffsets = offsets
        }
    }

    /// The text of the scalars `range`.
    private func text(_ range: Range<Int>) -> String {
        let bytes =
            byteOffsets.isEmpty
            ? utf8[range] : utf8[byteOffsets[range.lowerBound]..<byteOffsets[range.upperBound]]
        return String(decoding: bytes, as: UTF8.self)
    }

    private var location: SourceLocation { SourceLocation(line: line, column: column, offset: index) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() {
        guard index < scalars.count else { return }
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    /// The next token; `.end` once the text is used up, and on every call after that.
    mutating func next() -> Token {
        while let scalar = peek(), scalar == " " || scalar == "\t" { advance() }
        let start = location
        let startIndex = index
        guard let scalar = peek() else { return make(.end, from: start, startIndex) }
        switch scalar {
        case "\n":
            advance()
            return make(.newline, from: start, startIndex)
        case "/" where peek(1) == "/":
            return comment(from: start, startIndex)
        case "\"":
            return string(from: start, startIndex)
        case "@":
            advance()
            if peek() == "@" {
                advance()
                return make(.atAt, from: start, startIndex)
            }
            return make(.at, from: start, startIndex)
        default:
            break
        }
        if let kind = Self.punctuation(scalar) {
            advance()
            return make(kind, from: start, startIndex)
        }
        if scalar.isIdentifierStart {
            while let next = peek(), next.isIdentifierContinuation { advance() }
            return make(.identifier, from: start, startIndex)
        }
        if scalar.isDigit || (scalar == "-" && peek(1)?.isDigit == true) {
            advance()
            while let next = peek(), next.isDigit || next == "." || next == "e" || next == "E" { advance() }
            return make(.number, from: start, startIndex)
        }
        advance()
        return make(.invalid, from: start, startIndex)
    }

    /// A switch, not a dictionary: hashing every token's first character showed up in profiles.
    private static func punctuation(_ scalar: Unicode.Scalar) -> Token.Kind? {
        switch scalar {
        case "{": .leftBrace
        case "}": .rightBrace
        case "(": .leftParen
        case ")": .rightParen
        case "[": .leftBracket
        case "]": .rightBracket
        case ",": .comma
        case ":": .colon
        case "=": .equals
        case "?": .question
        case ".": .dot
        default: nil
        }
    }

    private mutating func comment(from start: SourceLocation, _ startIndex: Int) -> Token {
        advance()
        advance()
        var kind = Token.Kind.comment
        if peek() == "/" {
            kind = .docComment
            advance()
        }
        let textStart = index
        while let scalar = peek(), scalar != "\n" { advance() }
        var token = make(kind, from: start, startIndex)
        token.text = text(textStart..<index)
        return token
    }

    private mutating func string(from start: SourceLocation, _ startIndex: Int) -> Token {
        advance()
        var value = String.UnicodeScalarView()
        while let scalar = peek(), scalar != "\n" {
            if scalar == "\"" {
                advance()
                var token = make(.string, from: start, startIndex)
                token.text = String(value)
                return token
            }
            if scalar == "\\", let escaped = peek(1) {
                advance()
                advance()
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                default: value.append(escaped)
                }
                continue
            }
            value.append(scalar)
            advance()
        }
        return make(.invalid, from: start, startIndex)
    }

    private func make(_ kind: Token.Kind, from start: SourceLocation, _ startIndex: Int) -> Token {
        let raw = text(startIndex..<index)
        return Token(
            kind: kind,
            text: raw,
            raw: raw,
            range: SourceRange(file: file, start: start, end: location)
        )
    }
}

extension Unicode.Scalar {
    fileprivate var isDigit: Bool { ("0"..."9").contains(self) }
    fileprivate var isIdentifierStart: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_"
    }
    fileprivate var isIdentifierContinuation: Bool { isIdentifierStart || isDigit || self == "-" }
}
