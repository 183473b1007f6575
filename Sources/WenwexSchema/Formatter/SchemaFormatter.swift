import Foundation

/// Formats schema files in Prisma's canonical style (`prisma format`): two-space indentation,
/// names, types and attributes aligned in columns within a block, one blank line between
/// blocks, block attributes after the fields, comments kept.
///
/// Formatting is idempotent: formatting formatted text changes nothing, so `--check` in CI
/// only fails for files someone edited by hand.
public enum SchemaFormatter {
    /// The syntax errors that stop a file from being formatted.
    public struct SyntaxErrors: Error, Sendable {
        public var diagnostics: [SchemaDiagnostic]
    }

    /// The formatted text of `source`; a file with syntax errors is not formatted.
    public static func format(_ source: SchemaSource) throws(SyntaxErrors) -> String {
        let (file, diagnostics) = SchemaParser.parse(source)
        guard !diagnostics.hasErrors else { throw SyntaxErrors(diagnostics: diagnostics) }
        return format(file)
    }

    /// The formatted text of a parsed file, ending with one line break.
    public static func format(_ file: SchemaFile) -> String {
        var lines: [String] = []
        var wantsBlank = false
        for item in file.items {
            switch item {
            case .blankLine:
                wantsBlank = !lines.isEmpty
            case .comment(let comment):
                if wantsBlank { lines.append("") }
                lines.append(commentLine(comment))
                wantsBlank = false
            case .block(let block):
                if wantsBlank { lines.append("") }
                lines += BlockFormatter.lines(for: block)
                wantsBlank = true
            }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    static func commentLine(_ comment: Comment) -> String {
        (comment.text.hasPrefix("/*") ? comment.text : "//" + comment.text).trailingSpacesTrimmed
    }

    static func documentationLine(_ text: String) -> String {
        ("///" + text).trailingSpacesTrimmed
    }
}
