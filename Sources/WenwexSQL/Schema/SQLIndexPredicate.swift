/// The condition of a partial index (`@@index([email], where: "\"isActive\" = true")`).
///
/// The schema holds the condition as its author wrote it and PostgreSQL prints it back its own
/// way (`("isActive" = true)`), so two conditions are the same when their ``comparisonKey``s
/// are: outside string literals, whitespace, parentheses, double quotes and `::type` casts are
/// dropped, words are lower-cased and `!=` is `<>`. That covers how PostgreSQL reprints the
/// conditions teams write; one it rewrites further (`IN (…)` becomes `= ANY (ARRAY[…])`)
/// compares as changed, which plans the index again rather than missing a real edit.
public struct SQLIndexPredicate: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The condition as written (lowered) or as the database prints it (introspected); this is
    /// what renderers put after `WHERE`.
    public var text: String

    public init(_ text: String) {
        self.text = text
    }

    /// The form two conditions are compared in.
    public var comparisonKey: String {
        var key = ""
        var inLiteral = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if inLiteral {
                key.append(character)
                if character == "'" { inLiteral = false }
                continue
            }
            switch character {
            case "'":
                inLiteral = true
                key.append(character)
            case "(", ")", "\"", " ", "\t", "\n", "\r":
                continue
            case ":" where characters.first == ":":
                // A cast: `::text`, `::character varying`, `::timestamp(3) without time zone`.
                characters.removeFirst()
                while let next = characters.first,
                    next.isLetter || next.isNumber || next == "_" || next == " " || next == "[" || next == "]"
                {
                    characters.removeFirst()
                }
            case "!" where characters.first == "=":
                characters.removeFirst()
                key += "<>"
            default:
                key += character.lowercased()
            }
        }
        return key
    }

    public static func == (lhs: SQLIndexPredicate, rhs: SQLIndexPredicate) -> Bool {
        lhs.comparisonKey == rhs.comparisonKey
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(comparisonKey)
    }

    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        text = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
