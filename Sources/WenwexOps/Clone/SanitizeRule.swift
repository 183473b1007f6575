/// How one column of a production copy is rewritten on its way to staging.
///
/// Written in `wenwex.toml` (`[sanitize.users] email = "email"`) or on the field in
/// `schema.prisma` (`/// @sanitize(email)`). Every rewriting rule is deterministic under the
/// clone's secret: the same source value always becomes the same fake value, so joins on the
/// column, repeated values and unique constraints survive, and two clones are identical.
public enum SanitizeRule: Sendable, Hashable, CustomStringConvertible {
    /// A fake address `first.last.<hash>@example.com`; unique source values stay unique.
    case email
    /// A fake full name.
    case name
    /// A fake phone number in the reserved `+1 555 01xx` range.
    case phone
    /// A fake street address.
    case address
    /// Filler words of about the same length (free text: bios, notes, messages).
    case text
    /// An address in a documentation range (`192.0.2.0/24`, `2001:db8::/32`).
    case ip
    /// Random hex of the same length: tokens, hashes, API keys.
    case token
    /// The date moved by a per-value number of days within ±N.
    case dateShift(days: Int)
    case null
    /// Copied as it is: has to be said out loud for a column that looks personal.
    case keep
    case constant(String)
    /// A SQL expression over the source row, evaluated by the source database (`lower(email)`).
    case sql(String)

    /// Parses `email`, `date_shift(30)`, `constant('n/a')`, `sql(left(zip, 2))`, ….
    public init(parsing text: String) throws(CloneError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let name = String(trimmed.prefix { $0 != "(" }).lowercased()
        var argument: String?
        if trimmed.count > name.count {
            guard trimmed.hasSuffix(")") else { throw .badRule(text, "a '(' without its ')'") }
            argument = String(trimmed.dropFirst(name.count + 1).dropLast()).trimmingCharacters(in: .whitespaces)
        }
        func none() throws(CloneError) {
            if argument != nil { throw .badRule(text, "'\(name)' takes no argument") }
        }
        switch name {
        case "email": try none(); self = .email
        case "name": try none(); self = .name
        case "phone": try none(); self = .phone
        case "address": try none(); self = .address
        case "text": try none(); self = .text
        case "ip": try none(); self = .ip
        case "token", "hash": try none(); self = .token
        case "null": try none(); self = .null
        case "keep": try none(); self = .keep
        case "date_shift":
            guard let argument, let days = Int(argument), days > 0 else {
                throw .badRule(text, "date_shift needs a number of days, e.g. date_shift(30)")
            }
            self = .dateShift(days: days)
        case "constant":
            guard let argument, argument.count >= 2, argument.hasPrefix("'"), argument.hasSuffix("'") else {
                throw .badRule(text, "constant needs a quoted value, e.g. constant('n/a')")
            }
            self = .constant(String(argument.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'"))
        case "sql":
            guard let argument, !argument.isEmpty else { throw .badRule(text, "sql needs an expression") }
            self = .sql(argument)
        default:
            throw .badRule(
                text,
                "unknown rule '\(name)' (rules: email, name, phone, address, text, ip, token, date_shift(N), null, keep, constant('…'), sql(…))"
            )
        }
    }

    /// Whether the value is drawn from the key (and can be drawn again after a collision).
    var isGenerated: Bool {
        switch self {
        case .keep, .null, .constant, .sql: false
        default: true
        }
    }

    public var description: String {
        switch self {
        case .email: "email"
        case .name: "name"
        case .phone: "phone"
        case .address: "address"
        case .text: "text"
        case .ip: "ip"
        case .token: "token"
        case .dateShift(let days): "date_shift(\(days))"
        case .null: "null"
        case .keep: "keep"
        case .constant(let value): "constant('\(value.replacingOccurrences(of: "'", with: "''"))')"
        case .sql(let expression): "sql(\(expression))"
        }
    }
}
