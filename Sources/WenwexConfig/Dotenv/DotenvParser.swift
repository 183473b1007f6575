/// Reads dotenv files with the syntax teams use with dotenv, dotenv-expand and Docker Compose.
///
/// Supported: blank lines and `#` comments, an optional `export ` prefix, spaces around `=`,
/// unquoted values with inline comments (` # …`), single-quoted values (literal, no escapes),
/// double-quoted values (escapes `\n \r \t \" \\ \$`), backtick-quoted values (literal), values
/// in any quotes spanning several lines, and `$NAME`, `${NAME}`, `${NAME:-fallback}`,
/// `${NAME-fallback}` references in unquoted and double-quoted values.
///
/// swift-configuration's own `.env` reader treats quotes, `export` and inline comments as part of
/// the value, so Wenwex parses the files itself and hands the results to the library as
/// providers. A malformed line is reported with `file:line:column`; parsing goes on with the
/// next line so one run reports every malformed line.
public struct DotenvParser {
    private var scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1
    private let path: String
    /// Assignments in file order; a later assignment of a name leaves `nil` in its earlier place.
    private var entries: [DotenvEntry?] = []
    private var entryIndex: [String: Int] = [:]
    private var problems: [ConfigurationProblem] = []

    /// Parses `text`, naming `path` in problems. Later assignments of a name replace earlier ones.
    public static func parse(_ text: String, path: String) throws(ConfigurationError) -> [DotenvEntry] {
        var parser = DotenvParser(text: text, path: path)
        parser.parseFile()
        if !parser.problems.isEmpty {
            throw ConfigurationError(parser.problems)
        }
        return parser.entries.compactMap { $0 }
    }

    private init(text: String, path: String) {
        var scalars = Array(text.unicodeScalars)
        scalars.removeAll(where: { $0 == "\r" })  // CRLF files read like LF files
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        self.scalars = scalars
        self.path = path
    }

    // MARK: Lines

    private mutating func parseFile() {
        while !isAtEnd {
            skipBlanks()
            guard let scalar = peek() else { break }
            if scalar == "\n" {
                advance()
            } else if scalar == "#" {
                skipRestOfLine()
            } else if !parseAssignment() {
                skipRestOfLine()
            }
        }
    }

    /// Parses one assignment; returns `false` after recording a problem for the line.
    private mutating func parseAssignment() -> Bool {
        if lookingAt("export"), let after = peek(offset: 6), after == " " || after == "\t" {
            advance(6)
            skipBlanks()
        }
        let nameLine = line
        let nameColumn = column
        guard let first = peek(), first.isNameStart else {
            fail(
                "expected a variable name, found '\(describe(peek()))'",
                hint: "names start with a letter or '_' and contain letters, digits, '_' or '.'"
            )
            return false
        }
        var name = String(first)
        advance()
        while let scalar = peek(), scalar.isNameContinuation {
            name.unicodeScalars.append(scalar)
            advance()
        }
        skipBlanks()
        guard peek() == "=" else {
            if peek() == nil || peek() == "\n" || peek() == "#" {
                fail(
                    "'\(name)' has no '=': a dotenv line is NAME=value",
                    hint: "write \(name)= for an empty value, or remove the line"
                )
            } else {
                fail(
                    "expected '=' after '\(name)', found '\(describe(peek()))'",
                    hint: "variable names cannot contain spaces or '\(describe(peek()))'"
                )
            }
            return false
        }
        advance()
        skipBlanks()
        let value: DotenvValue?
        switch peek() {
        case "\"": value = parseQuoted(quote: "\"", interpolates: true)
        case "'": value = parseQuoted(quote: "'", interpolates: false)
        case "`": value = parseQuoted(quote: "`", interpolates: false)
        default: value = parseUnquoted()
        }
        guard let value else { return false }
        if let earlier = entryIndex[name] { entries[earlier] = nil }
        entryIndex[name] = entries.count
        entries.append(DotenvEntry(name: name, value: value, line: nameLine, column: nameColumn))
        return true
    }

    // MARK: Values

    private mutating func parseUnquoted() -> DotenvValue? {
        var raw: [PositionedScalar] = []
        while let scalar = peek(), scalar != "\n" {
            if scalar == "#", raw.isEmpty || raw.last!.scalar == " " || raw.last!.scalar == "\t" {
                skipRestOfLine()
                break
            }
            raw.append(PositionedScalar(scalar: scalar, line: line, column: column))
            advance()
        }
        while let last = raw.last, last.scalar == " " || last.scalar == "\t" {
            raw.removeLast()
        }
        return interpolate(raw, escapes: false)
    }

    private mutating func parseQuoted(quote: Unicode.Scalar, interpolates: Bool) -> DotenvValue? {
        let openLine = line
        let openColumn = column
        advance()
        var raw: [PositionedScalar] = []
        while true {
            guard let scalar = peek() else {
                problems.append(
                    problem(
                        line: openLine,
                        column: openColumn,
                        "the \(quote)-quoted value that starts here is never closed",
                        hint: "add the closing \(quote); a quoted value may span several lines"
                    )
                )
                index = scalars.count
                return nil
            }
            if scalar == quote { break }
            raw.append(PositionedScalar(scalar: scalar, line: line, column: column))
            advance()
            if interpolates, scalar == "\\", let escaped = peek() {
                raw.append(PositionedScalar(scalar: escaped, line: line, column: column))
                advance()
            }
        }
        advance()  // the closing quote
        skipBlanks()
        if peek() == "#" {
            skipRestOfLine()
        } else if let scalar = peek(), scalar != "\n" {
            fail(
                "unexpected '\(describe(scalar))' after the closing \(quote)",
                hint: "put the whole value inside the quotes, or start a comment with ' #'"
            )
            return nil
        }
        if !interpolates {
            return DotenvValue(literal: String(String.UnicodeScalarView(raw.map(\.scalar))))
        }
        return interpolate(raw, escapes: true)
    }

    /// Splits raw value text into literal text and `$` references, resolving backslash escapes
    /// when `escapes` is set (double quotes). `\$` always yields a literal `$`.
    private mutating func interpolate(_ raw: [PositionedScalar], escapes: Bool) -> DotenvValue? {
        var segments: [DotenvValue.Segment] = []
        var literal = ""
        var position = 0
        func flush() {
            if !literal.isEmpty { segments.append(.literal(literal)) }
            literal = ""
        }
        while position < raw.count {
            let current = raw[position]
            let next = position + 1 < raw.count ? raw[position + 1].scalar : nil
            if current.scalar == "\\", let next, next == "$" || escapes {
                literal.unicodeScalars.append(contentsOf: Self.unescape(next).unicodeScalars)
                position += 2
                continue
            }
            guard current.scalar == "$", let next else {
                literal.unicodeScalars.append(current.scalar)
                position += 1
                continue
            }
            if next == "{" {
                guard let close = raw[(position + 2)...].firstIndex(where: { $0.scalar == "}" }) else {
                    problems.append(
                        problem(
                            line: current.line,
                            column: current.column,
                            "'${' is never closed",
                            hint: "write ${NAME}, or \\$ for a literal dollar sign"
                        )
                    )
                    return nil
                }
                let body = String(String.UnicodeScalarView(raw[(position + 2)..<close].map(\.scalar)))
                guard let reference = Self.reference(body) else {
                    problems.append(
                        problem(
                            line: current.line,
                            column: current.column,
                            "'${\(body)}' is not a valid reference",
                            hint: "write ${NAME}, ${NAME:-fallback} or ${NAME-fallback}"
                        )
                    )
                    return nil
                }
                flush()
                segments.append(reference)
                position = close + 1
            } else if next.isNameStart {
                var end = position + 1
                var name = ""
                while end < raw.count, raw[end].scalar.isNameContinuation, raw[end].scalar != "." {
                    name.unicodeScalars.append(raw[end].scalar)
                    end += 1
                }
                flush()
                segments.append(.reference(name: name, fallback: nil))
                position = end
            } else {
                literal.unicodeScalars.append(current.scalar)
                position += 1
            }
        }
        flush()
        return DotenvValue(segments: segments)
    }

    private static func reference(_ body: String) -> DotenvValue.Segment? {
        var name = ""
        var rest = Substring(body)
        while let scalar = rest.unicodeScalars.first,
            name.isEmpty ? scalar.isNameStart : (scalar.isNameContinuation && scalar != ".")
        {
            name.unicodeScalars.append(scalar)
            rest = rest.dropFirst()
        }
        if name.isEmpty { return nil }
        if rest.isEmpty { return .reference(name: name, fallback: nil) }
        if rest.hasPrefix(":-") {
            return .reference(name: name, fallback: .init(text: String(rest.dropFirst(2)), appliesToEmpty: true))
        }
        if rest.hasPrefix("-") {
            return .reference(name: name, fallback: .init(text: String(rest.dropFirst()), appliesToEmpty: false))
        }
        return nil
    }

    private static func unescape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "n": "\n"
        case "r": "\r"
        case "t": "\t"
        case "\"", "\\", "$", "'", "`": String(scalar)
        default: "\\" + String(scalar)
        }
    }

    // MARK: Scanning

    private var isAtEnd: Bool { index >= scalars.count }

    private func peek(offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private func lookingAt(_ word: String) -> Bool {
        var position = index
        for scalar in word.unicodeScalars {
            guard position < scalars.count, scalars[position] == scalar else { return false }
            position += 1
        }
        return true
    }

    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where index < scalars.count {
            if scalars[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
    }

    private mutating func skipBlanks() {
        while let scalar = peek(), scalar == " " || scalar == "\t" { advance() }
    }

    private mutating func skipRestOfLine() {
        while let scalar = peek(), scalar != "\n" { advance() }
    }

    private mutating func fail(_ message: String, hint: String) {
        problems.append(problem(line: line, column: column, message, hint: hint))
    }

    private func problem(line: Int, column: Int, _ message: String, hint: String) -> ConfigurationProblem {
        ConfigurationProblem(
            subject: "\(path):\(line):\(column)",
            location: nil,
            message: message,
            hint: hint
        )
    }

    private func describe(_ scalar: Unicode.Scalar?) -> String {
        guard let scalar else { return "end of file" }
        return scalar == "\n" ? "end of line" : String(scalar)
    }
}

/// A character of a value with the position it was read at, so errors inside a multi-line value
/// still point at the right line and column.
private struct PositionedScalar {
    var scalar: Unicode.Scalar
    var line: Int
    var column: Int
}

extension Unicode.Scalar {
    fileprivate var isNameStart: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_"
    }

    fileprivate var isNameContinuation: Bool {
        isNameStart || ("0"..."9").contains(self) || self == "."
    }
}
