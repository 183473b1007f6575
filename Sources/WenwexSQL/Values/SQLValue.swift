/// A value bound to or read from SQL, the same in every dialect.
///
/// Application code written against `SQLValue` and `SQLRow` runs unchanged on the embedded
/// SQLite default and on PostgreSQL in production, which is what lets the router offer one API
/// for both.
public enum SQLValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int)
    case double(Double)
    case text(String)
    case bool(Bool)
    case bytes([UInt8])

    /// The value as text (integers and booleans spelled out), or `nil` for NULL and bytes.
    public var text: String? {
        switch self {
        case .null, .bytes: nil
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .text(let value): value
        case .bool(let value): value ? "true" : "false"
        }
    }

    /// The value as an integer, reading integer text too (SQLite stores what it is given).
    public var integer: Int? {
        switch self {
        case .integer(let value): value
        case .text(let value): Int(value)
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .null: "NULL"
        case .bytes(let bytes): "<\(bytes.count) bytes>"
        default: text ?? ""
        }
    }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral,
    ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
