/// A value bound to or read from SQL, the same in every dialect.
///
/// Application code written against `SQLValue` and `SQLRow` runs unchanged on the embedded
/// SQLite default and on PostgreSQL in production, which is what lets the router offer one API
/// for both.
public enum SQLValue: Sendable, Hashable, CustomStringConvertible {
    case null
    /// A 64-bit integer: PostgreSQL `int2`, `int4`, `int8` and `oid`, SQLite `INTEGER`.
    case integer(Int)
    /// A floating-point number: PostgreSQL `float4` and `float8`, SQLite `REAL`.
    case double(Double)
    /// Text. PostgreSQL types without a neutral form arrive as text too: timestamps and dates in
    /// ISO 8601, `numeric` in full precision, `uuid` in upper case.
    case text(String)
    /// A boolean. SQLite has none: it is bound as 1 or 0 and reads back as ``integer(_:)``.
    case bool(Bool)
    /// Raw bytes: PostgreSQL `bytea`, SQLite `BLOB`.
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

    /// For messages: ``text``, `NULL`, or `<n bytes>`. Values are shown as they are, so never describe
    /// a secret.
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
    /// A string literal is ``text(_:)``.
    public init(stringLiteral value: String) { self = .text(value) }
    /// An integer literal is ``integer(_:)``.
    public init(integerLiteral value: Int) { self = .integer(value) }
    /// `nil` is ``null``.
    public init(nilLiteral: ()) { self = .null }
    /// `true` and `false` are ``bool(_:)``.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
