/// A configuration value after validation, in the type its schema entry declares.
public enum TypedValue: Sendable, Hashable, CustomStringConvertible {
    /// A `string` or `secret` variable's text as written, or an `enum` variable's value (trimmed).
    case string(String)
    /// An `int` or `port` variable's value.
    case int(Int)
    case bool(Bool)
    /// A `url` variable's text (trimmed), its scheme checked, and its host for `scheme://` URLs.
    case url(String)
    case duration(Duration)
    /// A `list` variable's items, each typed as its element type; empty for an empty value.
    case list([TypedValue])

    /// The value as text again: durations in ``DurationFormat`` spelling, list items joined with `,`.
    /// Secrets are not masked here; pass anything shown through ``SecretMasker``.
    public var description: String {
        switch self {
        case .string(let value), .url(let value): value
        case .int(let value): String(value)
        case .bool(let value): String(value)
        case .duration(let value): DurationFormat.format(value)
        case .list(let values): values.map(\.description).joined(separator: ",")
        }
    }
}
