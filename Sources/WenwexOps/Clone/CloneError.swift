/// Why a clone did not start or did not finish; nothing was written to the target in either case
/// (the load is one transaction).
public enum CloneError: Error, Sendable, CustomStringConvertible {
    case badRule(String, String)
    /// A `--subset` that cannot be read, or names a table the source lacks.
    case badSubset(String, String)
    /// Every invalid or conflicting rule of a project, one line each.
    case badRules([String])
    /// Columns that look like personal data and have no rule: the clone refuses them all at once.
    case unsanitizedPersonalData([String])
    /// A rule names a table or column the database does not have.
    case unknownColumn(String)
    /// Refused to protect data: a prod target, wrong stamps, no confirmation.
    case refused(String, fix: String)
    case failed(String)

    public var description: String {
        switch self {
        case .badRule(let text, let why): "the sanitize rule '\(text)' is invalid: \(why)"
        case .badSubset(let text, let why): "the subset '\(text)' is invalid: \(why)"
        case .badRules(let problems):
            "the sanitize rules have \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
                + problems.map { "  - " + $0 }.joined(separator: "\n")
        case .unsanitizedPersonalData(let columns):
            "\(columns.count) column\(columns.count == 1 ? "" : "s") look\(columns.count == 1 ? "s" : "") like personal data and \(columns.count == 1 ? "has" : "have") no sanitize rule:\n"
                + columns.map { "  - " + $0 }.joined(separator: "\n")
        case .unknownColumn(let detail): detail
        case .refused(let detail, _): detail
        case .failed(let detail): detail
        }
    }

    public var fix: String? {
        switch self {
        case .badRule, .badRules:
            "write one of the rules listed, in [sanitize.<table>] of wenwex.toml or as /// @sanitize(rule)"
        case .unsanitizedPersonalData:
            "give each a rule in wenwex.toml ([sanitize.<table>] <column> = \"email\") or /// @sanitize(…) on the field; write \"keep\" to copy one as it is"
        case .badSubset: "write --subset \"User:10%\" or --subset \"Order:created_at > now() - interval '30 days'\""
        case .unknownColumn: "fix the table or column name in the sanitize rules"
        case .refused(_, let fix): fix
        case .failed: nil
        }
    }
}
