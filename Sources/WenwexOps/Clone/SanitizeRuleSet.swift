public import WenwexSchema

/// Every column rule a clone applies, gathered from both places a team may write one:
/// `[sanitize.<table>]` in `wenwex.toml` and `/// @sanitize(rule)` on a field of
/// `schema.prisma`.
///
/// The two places must agree: a column given different rules in each is an error naming both,
/// because silently preferring one would let a reviewer read the other and believe it.
public enum SanitizeRuleSet {
    /// Table → column → rule. Every invalid rule and every conflict is reported at once.
    public static func merge(
        projectFile: [String: [String: String]],
        annotations: [SanitizeAnnotations.Annotation]
    ) throws(CloneError) -> [String: [String: SanitizeRule]] {
        var rules: [String: [String: SanitizeRule]] = [:]
        var written: [String: [String: String]] = [:]
        var problems: [String] = []
        func add(_ table: String, _ column: String, _ text: String, from place: String) {
            do {
                let rule = try SanitizeRule(parsing: text)
                if let earlier = rules[table]?[column], earlier != rule {
                    problems.append(
                        "\(table).\(column) has two rules: \(written[table]?[column] ?? "") and '\(text)' in \(place); keep one"
                    )
                    return
                }
                rules[table, default: [:]][column] = rule
                written[table, default: [:]][column] = "'\(text)' in \(place)"
            } catch {
                problems.append("\(table).\(column) (\(place)): \(error.description)")
            }
        }
        for table in projectFile.keys.sorted() {
            for (column, text) in (projectFile[table] ?? [:]).sorted(by: { $0.key < $1.key }) {
                add(table, column, text, from: "wenwex.toml")
            }
        }
        for annotation in annotations {
            add(annotation.table, annotation.column, annotation.rule, from: "schema.prisma")
        }
        guard problems.isEmpty else { throw .badRules(problems) }
        return rules
    }
}
