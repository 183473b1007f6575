import Foundation

/// The rules a migration file acknowledges with `-- wenwex:allow <rule>` comments.
///
/// A comment line anywhere in the file counts; it may name several rules, separated by commas
/// or spaces, and end in a reason after a second `--`:
///
///     -- wenwex:allow drop-column, narrow-type -- the legacy columns were copied in 20260301
///
/// Names the linter does not know are kept so it can warn about them: a misspelt rule would
/// otherwise leave the finding it meant to allow blocking, with nothing saying why.
struct LintAllowComments: Sendable {
    private(set) var rules: Set<LintRule> = []
    /// Unknown names, in file order; an empty string for a comment that names nothing.
    private(set) var unknownNames: [String] = []

    private static let marker = "wenwex:allow"

    init(sql: String) {
        for line in sql.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("--") else { continue }
            let comment = trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces)
            guard comment.lowercased().hasPrefix(Self.marker) else { continue }
            let rest = comment.dropFirst(Self.marker.count)
            // `wenwex:allowed …` is some other comment.
            guard rest.first.map({ $0.isWhitespace || $0 == "," }) ?? true else { continue }
            var names: [String] = []
            for word in rest.split(whereSeparator: { $0.isWhitespace || $0 == "," }) {
                if word.hasPrefix("--") { break }
                names.append(String(word))
            }
            if names.isEmpty { unknownNames.append("") }
            for name in names {
                if let rule = LintRule(rawValue: name.lowercased()), rule != .unknownAllowRule {
                    rules.insert(rule)
                } else {
                    unknownNames.append(name)
                }
            }
        }
    }

    /// `finding`, marked allowed when the file acknowledges its rule.
    func apply(to finding: LintFinding) -> LintFinding {
        var finding = finding
        finding.isAllowed = finding.isAllowed || rules.contains(finding.rule)
        return finding
    }

    /// One warning per unknown name (or empty comment), naming the rules that exist.
    var findings: [LintFinding] {
        let valid = LintRule.acknowledgeable.map(\.rawValue).joined(separator: ", ")
        return unknownNames.map { name in
            let what =
                name.isEmpty
                ? "A `-- wenwex:allow` comment names no rule"
                : "`-- wenwex:allow` names `\(name)`, which is not a lint rule"
            return LintFinding(
                rule: .unknownAllowRule,
                severity: .warning,
                message: "\(what), so it allows nothing; valid rules: \(valid)."
            )
        }
    }
}
