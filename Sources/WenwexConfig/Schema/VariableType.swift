/// The kinds of value a configuration variable can hold, with their constraints.
///
/// Every value arrives as text (environment variables are strings); the type says how to read it
/// and what to reject, in the spirit of zod, t3-env and envalid.
public indirect enum VariableType: Sendable, Hashable {
    /// Text, optionally bounded in length (in characters) and matched whole by the regular expression
    /// `pattern`.
    case string(minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil)
    /// An integer, optionally within `min` and `max` (both inclusive).
    case int(min: Int? = nil, max: Int? = nil)
    /// `true/false`, `1/0`, `yes/no`, `on/off`, in any case.
    case bool
    /// An absolute URL; an empty `schemes` list accepts any scheme.
    case url(schemes: [String] = [])
    /// Exactly one of the listed values (case-sensitive, surrounding whitespace trimmed).
    case enumeration([String])
    /// `250ms`, `30s`, `5m`, `1h30m`, `2d`: a unit is required so `30` is never read as the wrong one.
    case duration(min: Duration? = nil, max: Duration? = nil)
    /// A TCP port, 1–65535.
    case port
    /// Items split on `separator` and trimmed, each checked against `element`.
    case list(of: VariableType, separator: String = ",")
    /// A string that is never printed.
    case secret(minLength: Int? = nil)

    /// The name used in `wenwex.toml` (`type = "…"`).
    public var keyword: String {
        switch self {
        case .string: "string"
        case .int: "int"
        case .bool: "bool"
        case .url: "url"
        case .enumeration: "enum"
        case .duration: "duration"
        case .port: "port"
        case .list: "list"
        case .secret: "secret"
        }
    }

    /// What a valid value looks like, for error messages.
    public var expectation: String {
        switch self {
        case .string(let minLength, let maxLength, let pattern):
            var text = "a string"
            if let minLength, let maxLength {
                text += " of \(minLength)–\(maxLength) characters"
            } else if let minLength {
                text += " of at least \(minLength) characters"
            } else if let maxLength {
                text += " of at most \(maxLength) characters"
            }
            if let pattern { text += " matching /\(pattern)/" }
            return text
        case .int(let min, let max):
            switch (min, max) {
            case (let min?, let max?): return "an integer from \(min) to \(max)"
            case (let min?, nil): return "an integer ≥ \(min)"
            case (nil, let max?): return "an integer ≤ \(max)"
            case (nil, nil): return "an integer"
            }
        case .bool: return "a boolean (true/false, 1/0, yes/no, on/off)"
        case .url(let schemes):
            return schemes.isEmpty
                ? "an absolute URL" : "a URL with scheme \(schemes.map { "\($0):" }.joined(separator: " or "))"
        case .enumeration(let values): return "one of \(values.joined(separator: ", "))"
        case .duration(let min, let max):
            var text = "a duration such as 250ms, 30s, 5m, 1h30m or 2d"
            if let min { text += ", at least \(DurationFormat.format(min))" }
            if let max { text += ", at most \(DurationFormat.format(max))" }
            return text
        case .port: return "a port number from 1 to 65535"
        case .list(let element, let separator):
            return "a '\(separator)'-separated list of \(element.expectation)"
        case .secret(let minLength):
            return minLength.map { "a secret of at least \($0) characters" } ?? "a non-empty secret"
        }
    }
}
