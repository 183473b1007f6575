import Foundation

/// Text that looks like what a recognised column holds: emails, names, phone numbers, URLs.
enum FakeText {
    static func make(_ kind: ColumnKind, _ random: inout SeedRandom) -> String {
        switch kind {
        case .email:
            let first = random.pick(FakeWords.firstNames).lowercased()
            let last = random.pick(FakeWords.lastNames).lowercased()
            return "\(first).\(last)@\(random.pick(FakeWords.domains))"
        case .fullName:
            return "\(random.pick(FakeWords.firstNames)) \(random.pick(FakeWords.lastNames))"
        case .firstName:
            return random.pick(FakeWords.firstNames)
        case .lastName:
            return random.pick(FakeWords.lastNames)
        case .username:
            return random.pick(FakeWords.firstNames).lowercased() + String(random.int(in: 1...99))
        case .phone:
            return "+1 555 \(digits(3, &random)) \(digits(4, &random))"
        case .url:
            return "https://\(random.pick(FakeWords.lastNames).lowercased()).example.com/\(slug(&random))"
        case .imageURL:
            return "https://images.example.com/\(identifier(12, alphabet: lowerAlphanumerics, &random)).jpg"
        case .title:
            return "\(random.pick(FakeWords.adjectives)) \(random.pick(FakeWords.nouns))"
        case .paragraph:
            let words = (0..<random.int(in: 6...16)).map { _ in random.pick(FakeWords.words) }
            return words.joined(separator: " ").prefix(1).uppercased() + words.joined(separator: " ").dropFirst() + "."
        case .city:
            return random.pick(FakeWords.cities)
        case .country:
            return random.pick(FakeWords.countries)
        case .code:
            return identifier(8, alphabet: upperAlphanumerics, &random)
        case .slug:
            return slug(&random)
        case .uuid:
            return uuid(&random)
        case .cuid:
            return "c" + identifier(24, alphabet: lowerAlphanumerics, &random)
        case .nanoid:
            return identifier(21, alphabet: upperAlphanumerics + lowerAlphanumerics.filter(\.isLetter) + "_-", &random)
        case .ulid:
            return identifier(26, alphabet: "0123456789ABCDEFGHJKMNPQRSTVWXYZ", &random)
        default:
            return random.pick(FakeWords.words) + " " + random.pick(FakeWords.words)
        }
    }

    static let lowerAlphanumerics = "0123456789abcdefghijklmnopqrstuvwxyz"
    static let upperAlphanumerics = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    static func identifier(_ length: Int, alphabet: String, _ random: inout SeedRandom) -> String {
        let characters = Array(alphabet)
        return String((0..<length).map { _ in random.pick(characters) })
    }

    /// A version 4 UUID made from the seeded generator.
    static func uuid(_ random: inout SeedRandom) -> String {
        var hex = Array(identifier(32, alphabet: "0123456789abcdef", &random))
        hex[12] = "4"
        hex[16] = Array("89ab")[random.below(4)]
        let text = String(hex)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(text.dropFirst(range.lowerBound).prefix(range.count))
        }
        return parts.joined(separator: "-")
    }

    private static func slug(_ random: inout SeedRandom) -> String {
        "\(random.pick(FakeWords.adjectives))-\(random.pick(FakeWords.nouns))".lowercased()
            .replacingOccurrences(of: " ", with: "-")
    }

    private static func digits(_ count: Int, _ random: inout SeedRandom) -> String {
        identifier(count, alphabet: "0123456789", &random)
    }
}
