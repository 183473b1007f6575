/// Turns database names into Prisma identifiers, and keeps the names given out in one scope
/// distinct.
///
/// Prisma identifiers are `[A-Za-z][A-Za-z0-9_]*`; tables and columns can be called anything.
/// Prisma's introspection replaces every other character with `_` and drops leading characters
/// that are not letters; a name that would then lose leading digits (`2fa_codes`) keeps them
/// behind a prefix naming what it is (`Model_2fa_codes`), so the name still says which table it
/// came from. The database name is kept with `@map`/`@@map` whenever the two differ.
enum PullNames {
    /// What a name is given to, which picks the prefix for names that start with a digit.
    enum Kind {
        case model
        case enumeration
        case field
        case enumValue

        var prefix: String {
            switch self {
            case .model: "Model"
            case .enumeration: "Enum"
            case .field: "field"
            case .enumValue: "VALUE"
            }
        }
    }

    /// A valid Prisma identifier for the database name `name`.
    static func sanitize(_ name: String, as kind: Kind) -> String {
        if isValid(name) { return name }
        var cleaned = String(name.unicodeScalars.map { isIdentifierCharacter($0) ? Character($0) : "_" })
        while let first = cleaned.unicodeScalars.first, !isLetter(first), !isDigit(first) {
            cleaned.removeFirst()
        }
        guard let first = cleaned.unicodeScalars.first else { return kind.prefix }
        return isDigit(first) ? kind.prefix + "_" + cleaned : cleaned
    }

    /// Whether `name` can be written as it is.
    static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy(isIdentifierCharacter)
    }

    /// Names a model or enum cannot take because the schema language means something else by
    /// them; Prisma renames such tables `Renamed…`.
    static let reservedTypeNames: Set<String> = Set(ScalarType.allCases.map(\.rawValue)).union([
        "Unsupported", "PrismaClient", "Prisma",
    ])

    /// A field named after a column that ends in an id (`authorId`, `author_id`, `authorID`):
    /// the name of the relation it points along (`author`), or `nil`.
    static func relationName(fromColumn name: String) -> String? {
        for suffix in ["_id", "Id", "ID", "_ID"] where name.hasSuffix(suffix) && name.count > suffix.count {
            let base = String(name.dropLast(suffix.count))
            return isValid(base) ? base : nil
        }
        return nil
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    private static func isIdentifierCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isLetter(scalar) || isDigit(scalar) || scalar == "_"
    }
}

/// The names already given out in one scope (the types of a schema, the fields of a model, the
/// values of an enum), so a second `a-b` next to an `a_b` becomes `a_b_1` instead of a clash.
struct NameScope {
    private var used: Set<String> = []

    init(reserved: Set<String> = []) {
        used = reserved
    }

    func contains(_ name: String) -> Bool {
        used.contains(name)
    }

    /// The first of `candidates` that is free, else the last one with the smallest free number
    /// appended; the name returned is taken.
    mutating func claim(_ candidates: [String]) -> String {
        for candidate in candidates where !used.contains(candidate) {
            used.insert(candidate)
            return candidate
        }
        let base = candidates.last ?? "name"
        var number = 1
        while used.contains("\(base)_\(number)") { number += 1 }
        used.insert("\(base)_\(number)")
        return "\(base)_\(number)"
    }

    mutating func claim(_ candidate: String) -> String {
        claim([candidate])
    }

    /// Names for several things at once. Those whose first candidate is `exact` (their own
    /// database name, or a name an existing schema gave them) choose first, so a column `a_b`
    /// keeps its name and the column `a-b` next to it is the one that becomes `a_b_1`.
    mutating func claimAll(_ requests: [(candidates: [String], exact: Bool)]) -> [String] {
        var names = [String](repeating: "", count: requests.count)
        for pass in [true, false] {
            for (index, request) in requests.enumerated() where request.exact == pass {
                names[index] = claim(request.candidates)
            }
        }
        return names
    }
}
