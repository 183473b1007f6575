import Crypto
import Foundation

/// Turns source values into fake ones, deterministically under a secret key.
///
/// Each fake value is drawn from a generator seeded with HMAC-SHA256(key, rule, value,
/// attempt): the same value always gives the same result (in every table, in every clone with
/// the same key), and without the key the mapping cannot be reversed or rebuilt from a guess.
/// `attempt` is raised only when a unique column already holds the result.
struct Anonymizer: Sendable {
    let key: SymmetricKey

    init(secret: String) {
        key = SymmetricKey(data: SHA256.hash(data: Data(("wenwex clone\u{0}" + secret).utf8)))
    }

    /// The fake value for `value` under `rule`; `nil` is SQL NULL. `maxLength` is the column's
    /// character limit (`VARCHAR(n)`).
    func apply(_ rule: SanitizeRule, to value: String?, maxLength: Int?, attempt: Int = 0) -> String? {
        switch rule {
        case .keep, .sql: return value
        case .null: return nil
        case .constant(let constant): return value == nil ? nil : constant
        default: break
        }
        guard let value else { return nil }
        var random = generator(rule, value, attempt: attempt)
        let fake: String
        switch rule {
        case .email:
            let first = random.pick(FakeWords.firstNames).lowercased()
            let last = random.pick(FakeWords.lastNames).lowercased()
            let tag = String(random.next() & 0xFFFF_FFFF, radix: 16)
            let domain = "@example.com"
            let local = "\(first).\(last).\(tag)"
            guard let maxLength, local.count + domain.count > maxLength else { return local + domain }
            let room = max(maxLength - domain.count, tag.count)
            fake = String((String(local.suffix(room)) + domain).prefix(maxLength))
            return fake
        case .name:
            fake = "\(random.pick(FakeWords.firstNames)) \(random.pick(FakeWords.lastNames))"
        case .phone:
            fake = "+1 555 01\(digits(2, &random)) \(digits(4, &random))"
        case .address:
            fake =
                "\(random.int(in: 1...9999)) \(random.pick(FakeWords.lastNames)) Street, \(random.pick(FakeWords.cities))"
        case .text:
            if value.isEmpty { return value }
            fake = filler(length: value.count, &random)
        case .ip:
            fake =
                value.contains(":")
                ? "2001:db8:\(hex(4, &random)):\(hex(4, &random))::\(hex(4, &random))"
                : "10.\(random.below(256)).\(random.below(256)).\(1 + random.below(254))"
            // An inet column may carry a prefix length; keep its shape.
            if let slash = value.firstIndex(of: "/") { return fake + value[slash...] }
            return fake
        case .token:
            fake = hex(max(value.count, 1), &random)
        case .dateShift(let days):
            return Self.shift(value, by: random.int(in: -days...days))
        case .keep, .sql, .null, .constant:
            return value
        }
        guard let maxLength, fake.count > maxLength else { return fake }
        return String(fake.prefix(maxLength))
    }

    private func generator(_ rule: SanitizeRule, _ value: String, attempt: Int) -> SeedRandom {
        var message = Data(rule.description.utf8)
        message.append(0)
        message.append(contentsOf: value.utf8)
        message.append(0)
        message.append(contentsOf: String(attempt).utf8)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return SeedRandom(seed: code.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    private func digits(_ count: Int, _ random: inout SeedRandom) -> String {
        String((0..<count).map { _ in Character(String(random.below(10))) })
    }

    private func hex(_ count: Int, _ random: inout SeedRandom) -> String {
        let alphabet = Array("0123456789abcdef")
        return String((0..<count).map { _ in alphabet[random.below(16)] })
    }

    /// Words up to about `length` characters: short, medium and long texts stay in their class.
    private func filler(length: Int, _ random: inout SeedRandom) -> String {
        var text = ""
        while text.count < max(length, 1) {
            text += (text.isEmpty ? "" : " ") + random.pick(FakeWords.words)
        }
        return String(text.prefix(max(length, 1)))
    }

    /// `YYYY-MM-DD…` with its date moved by `days`; the time and zone stay as they were. A
    /// value that is not a date is returned unchanged.
    static func shift(_ value: String, by days: Int) -> String {
        let datePart = value.prefix(10)
        let parts = datePart.split(separator: "-").compactMap { Int($0) }
        guard datePart.count == 10, parts.count == 3 else { return value }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
            let shifted = calendar.date(byAdding: .day, value: days, to: date)
        else { return value }
        let components = calendar.dateComponents([.year, .month, .day], from: shifted)
        let text = String(format: "%04d-%02d-%02d", components.year!, components.month!, components.day!)
        return text + value.dropFirst(10)
    }
}
