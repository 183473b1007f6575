import Foundation

/// One thing the migration linter found: which rule, how serious, and what to do about it.
public struct LintFinding: Sendable, Hashable, CustomStringConvertible {
    /// Errors fail `wenwex migrate lint` (unless allowed); warnings are only reported.
    public enum Severity: String, Sendable, Hashable, Comparable, CustomStringConvertible {
        case warning
        case error

        public var description: String { rawValue }

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .warning && rhs == .error
        }
    }

    public var rule: LintRule
    public var severity: Severity
    /// What the migration does, to which table or column, with the counts the database gave,
    /// and how to fix or acknowledge it. One line.
    public var message: String
    /// Whether the migration file acknowledges the rule with a `-- wenwex:allow` comment: the
    /// finding is still reported, but it does not block.
    public var isAllowed: Bool

    public init(rule: LintRule, severity: Severity, message: String, isAllowed: Bool = false) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.isAllowed = isAllowed
    }

    /// Whether this finding fails the command: an error the file does not acknowledge.
    public var isBlocking: Bool { severity == .error && !isAllowed }

    /// `error[drop-column]: Dropping column …` (with `, allowed` inside the brackets when the
    /// file acknowledges it), the form the CLI prints.
    public var description: String {
        "\(severity)[\(rule)\(isAllowed ? ", allowed" : "")]: \(message)"
    }

    /// The finding as one line of a migration file's `/* Warnings: … */` block
    /// (`MigrationScript.warnings`), so whoever reads the generated file sees what the linter
    /// saw. A `*/` in a name would end the comment early, so it is broken up.
    public var warningLine: String {
        description.replacingOccurrences(of: "*/", with: "* /").replacingOccurrences(of: "\n", with: " ")
    }
}

extension Array where Element == LintFinding {
    /// The findings that fail the command: errors the migration does not acknowledge.
    public var blocking: [LintFinding] { filter(\.isBlocking) }
}

extension MigrationScript {
    /// Puts each finding into the file's warnings block, after any warnings already there, so a
    /// generated migration carries what the linter found at its top, as Prisma's do.
    public mutating func addWarnings(for findings: [LintFinding]) {
        warnings += findings.map(\.warningLine)
    }
}
