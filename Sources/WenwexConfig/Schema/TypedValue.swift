/// A configuration value after validation, in the type its schema entry declares.
public enum TypedValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case bool(Bool)
    case url(String)
    case duration(Duration)
    case list([TypedValue])

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
