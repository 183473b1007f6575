import WenwexSQL

/// What kind of value a column gets, decided once per column from its type, name and default.
///
/// The name comes first where the type allows it, because a column called `email` holding
/// `"lorem ipsum"` is what makes seeded data useless for trying an app out; the type decides
/// the rest, so any schema gets valid values even when no name is recognised.
indirect enum ColumnKind: Equatable {
    /// A bcrypt hash of ``Seeder/devPassword``, so seeded accounts can sign in.
    case passwordHash
    case email, fullName, firstName, lastName, username, phone, url, imageURL
    case title, paragraph, city, country, code, slug, word
    case uuid, cuid, nanoid, ulid
    case smallInt, integer, float, boolean, dateTime, date, time, json, bytes
    case money
    case decimal(scale: Int, maxWhole: Int)
    case oneOf([String])
    case array(ColumnKind)
    /// A type the seeder cannot write (`Unsupported(…)`, unknown native types): NULL or default.
    case unwritable

    /// The kind for `column`; `enumValues` are the allowed values of an enum-typed column.
    static func of(_ column: SQLColumn, enumValues: [String]?) -> ColumnKind {
        let base = baseKind(column, enumValues: enumValues)
        return column.type.isArray ? .array(base) : base
    }

    private static func baseKind(_ column: SQLColumn, enumValues: [String]?) -> ColumnKind {
        if let enumValues, !enumValues.isEmpty { return .oneOf(enumValues) }
        if case .applicationGenerated(let function) = column.default, let kind = generated(function) { return kind }
        let name = column.name.lowercased().replacingOccurrences(of: "_", with: "")
        let type = TypeText(column.type.text)
        switch column.type.family {
        case .string:
            if type.base == "UUID" { return .uuid }
            if ["INET", "CIDR", "XML", "BIT", "VARBIT", "TSVECTOR"].contains(type.base) { return .unwritable }
            return stringKind(name) ?? .word
        case .int, .bigInt:
            return isSmallCount(name) ? .smallInt : .integer
        case .float:
            return isPrice(name) ? .money : .float
        case .decimal:
            let scale = min(type.scale ?? 2, 2)
            let whole = max((type.precision ?? 10) - (type.scale ?? 2), 0)
            let maxWhole = whole >= 6 ? (isPrice(name) ? 999 : 99_999) : (whole == 0 ? 0 : Int(pow10(whole)) - 1)
            return .decimal(scale: scale, maxWhole: isPrice(name) ? min(maxWhole, 999) : maxWhole)
        case .boolean:
            return .boolean
        case .dateTime:
            if type.base == "DATE" { return .date }
            if type.base == "TIME" || type.base == "TIMETZ" { return .time }
            return .dateTime
        case .json:
            return .json
        case .bytes:
            return .bytes
        case .enum:
            return .unwritable
        case .unsupported:
            return .unwritable
        }
    }

    /// Prisma's client-side default functions.
    private static func generated(_ function: String) -> ColumnKind? {
        if function.hasPrefix("uuid") { return .uuid }
        if function.hasPrefix("cuid") { return .cuid }
        if function.hasPrefix("nanoid") { return .nanoid }
        if function.hasPrefix("ulid") { return .ulid }
        if function == "@updatedAt" || function.hasPrefix("now") { return .dateTime }
        return nil
    }

    private static func stringKind(_ name: String) -> ColumnKind? {
        // `password`, `passwordHash`, `hashed_password`, `encryptedPassword`, `passwd`.
        if name.contains("password") || name.contains("passwd") { return .passwordHash }
        let rules: [(ColumnKind, [String])] = [
            (.email, ["email", "mail"]),
            (.firstName, ["firstname", "givenname"]),
            (.lastName, ["lastname", "surname", "familyname"]),
            (.username, ["username", "login", "handle", "nickname"]),
            (.phone, ["phone", "mobile", "telephone"]),
            (.imageURL, ["avatar", "image", "photo", "picture", "thumbnail"]),
            (.url, ["url", "website", "homepage", "link"]),
            (.paragraph, ["description", "bio", "body", "comment", "content", "text", "summary", "note", "message"]),
            (.title, ["title", "headline", "subject"]),
            (.city, ["city", "town"]),
            (.country, ["country"]),
            (.slug, ["slug"]),
            (.code, ["code", "token", "sku", "reference"]),
            (.fullName, ["name", "fullname", "displayname", "author"]),
        ]
        for (kind, keys) in rules where keys.contains(where: name.hasSuffix) || keys.contains(name) {
            return kind
        }
        return nil
    }

    private static func isSmallCount(_ name: String) -> Bool {
        ["quantity", "qty", "stock", "position", "rank", "order", "sortorder", "count", "rating", "age", "level"]
            .contains { name.hasSuffix($0) }
    }

    private static func isPrice(_ name: String) -> Bool {
        ["price", "amount", "total", "cost", "subtotal", "fee", "balance"].contains { name.hasSuffix($0) }
    }

    private static func pow10(_ exponent: Int) -> Double {
        (0..<min(exponent, 15)).reduce(1.0) { value, _ in value * 10 }
    }
}
