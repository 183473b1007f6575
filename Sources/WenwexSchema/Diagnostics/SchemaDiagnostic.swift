/// One problem in a schema: what, where (`file:line:column`), and how to fix it.
///
/// Parsing and validation collect every diagnostic of a run so a team fixes them all in one
/// round trip; `DiagnosticRenderer` prints them with a caret snippet like rustc and Prisma.
public struct SchemaDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    public var severity: Severity
    public var file: String
    public var line: Int
    public var column: Int
    /// How many columns the caret underlines.
    public var length: Int
    public var message: String
    /// How to fix it.
    public var hint: String?

    public init(
        severity: Severity = .error,
        file: String,
        line: Int,
        column: Int,
        length: Int = 1,
        message: String,
        hint: String? = nil
    ) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.length = length
        self.message = message
        self.hint = hint
    }

    /// A diagnostic pointing at `range`.
    public init(_ severity: Severity = .error, _ message: String, at range: SourceRange, hint: String? = nil) {
        self.init(
            severity: severity,
            file: range.file,
            line: range.start.line,
            column: range.start.column,
            length: range.caretLength,
            message: message,
            hint: hint
        )
    }

    /// `file:line:column`.
    public var location: String { "\(file):\(line):\(column)" }

    /// One line: `error: message (file:line:column)`.
    public var description: String {
        "\(severity.rawValue): \(message) (\(location))"
    }
}

extension [SchemaDiagnostic] {
    /// Whether any diagnostic is an error (warnings alone leave a schema valid).
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Errors first, then warnings; each group in file, line, column order.
    public var ordered: [SchemaDiagnostic] {
        let sorted = self.enumerated().sorted { lhs, rhs in
            let a = lhs.element
            let b = rhs.element
            if a.severity != b.severity { return a.severity == .error }
            if a.file != b.file { return a.file < b.file }
            if a.line != b.line { return a.line < b.line }
            if a.column != b.column { return a.column < b.column }
            return lhs.offset < rhs.offset
        }
        return sorted.map(\.element)
    }
}
