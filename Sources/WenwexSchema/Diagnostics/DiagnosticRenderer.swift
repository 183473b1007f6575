/// Renders diagnostics the way rustc and Prisma do: the message, the location, and the source
/// line with a caret under the offending text.
///
/// ```
/// error: Type "Strin" is neither a built-in type, nor refers to another model, composite type, or enum.
///   --> prisma/schema.prisma:12:9
///    |
/// 12 |   name  Strin
///    |         ^^^^^
/// ```
public struct DiagnosticRenderer: Sendable {
    private let sources: [String: SchemaSource]

    /// `sources` supply the quoted lines; a diagnostic for a file not among them has no snippet.
    public init(sources: [SchemaSource]) {
        self.sources = Dictionary(sources.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// One diagnostic, several lines, no trailing line break.
    public func render(_ diagnostic: SchemaDiagnostic) -> String {
        var lines = ["\(diagnostic.severity.rawValue): \(diagnostic.message)"]
        let number = String(diagnostic.line)
        let gutter = String(repeating: " ", count: number.count)
        lines.append("\(gutter)--> \(diagnostic.location)")
        if let source = sources[diagnostic.file] {
            let text = source.line(diagnostic.line)
            let caretCount = max(1, min(diagnostic.length, text.unicodeScalars.count - diagnostic.column + 1))
            let indent = String(repeating: " ", count: max(0, diagnostic.column - 1))
            lines.append("\(gutter) |")
            lines.append("\(number) | \(text)")
            lines.append("\(gutter) | \(indent)\(String(repeating: "^", count: caretCount))")
        }
        if let hint = diagnostic.hint {
            lines.append("\(gutter) = help: \(hint)")
        }
        return lines.joined(separator: "\n")
    }

    /// All diagnostics, errors first then warnings, separated by blank lines.
    public func render(_ diagnostics: [SchemaDiagnostic]) -> String {
        diagnostics.ordered.map(render).joined(separator: "\n\n")
    }
}
