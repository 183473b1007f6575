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
    /// HMAC-SHA256 (RFC 2104) with its two padded keys absorbed once: each value copies the
    /// two prepared hash states and hashes only its own bytes. The key schedule is most of what
    /// `HMAC<SHA256>` spends on a short value, and a clone hashes millions of them.
    /// `fastHMACMatchesCryptoKit` in the tests checks it against `HMAC` across block boundaries.
    private let inner: SHA256
    private let outer: SHA256

    init(secret: String) {
        key = SymmetricKey(data: SHA256.hash(data: Data(("wenwex clone\u{0}" + secret).utf8)))
        var innerPad = [UInt8](repeating: 0x36, count: 64)
        var outerPad = [UInt8](repeating: 0x5c, count: 64)
        key.withUnsafeBytes { bytes in
            for (index, byte) in bytes.enumerated() {
                innerPad[index] ^= byte
                outerPad[index] ^= byte
            }
        }
        var inner = SHA256()
        inner.update(data: innerPad)
        var outer = SHA256()
        outer.update(data: outerPad)
        self.inner = inner
        self.outer = outer
    }

    /// HMAC-SHA256 under the clone's key of `rule`, 0, `value`, 0, `attempt` (decimal).
    func authenticationCode(_ rule: SanitizeRule, _ value: String, attempt: Int) -> SHA256.Digest {
        var value = value
        return value.withUTF8 { authenticationCode(rule, UnsafeRawBufferPointer($0), attempt: attempt) }
    }

    /// The same over the UTF-8 bytes of the value, as the source sent them. The message is
    /// laid out on the stack and hashed in one `update`: each call into swift-crypto costs
    /// more than hashing a short value.
    func authenticationCode(_ rule: SanitizeRule, _ value: UnsafeRawBufferPointer, attempt: Int) -> SHA256.Digest {
        var ruleText = rule.description
        var attemptText = String(attempt)
        return ruleText.withUTF8 { ruleBytes in
            attemptText.withUTF8 { attemptBytes in
                let length = ruleBytes.count + 1 + value.count + 1 + attemptBytes.count
                return withUnsafeTemporaryAllocation(byteCount: length, alignment: 1) { message in
                    var offset = 0
                    func append(_ part: UnsafeRawBufferPointer) {
                        if let base = part.baseAddress, part.count > 0 {
                            (message.baseAddress! + offset).copyMemory(from: base, byteCount: part.count)
                        }
                        offset += part.count
                    }
                    append(UnsafeRawBufferPointer(ruleBytes))
                    message[offset] = 0
                    offset += 1
                    append(value)
                    message[offset] = 0
                    offset += 1
                    append(UnsafeRawBufferPointer(attemptBytes))
                    var hash = inner
                    hash.update(bufferPointer: UnsafeRawBufferPointer(message))
                    let innerDigest = hash.finalize()
                    var result = outer
                    innerDigest.withUnsafeBytes { result.update(bufferPointer: $0) }
                    return result.finalize()
                }
            }
        }
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
        guard var value else { return nil }
        return value.withUTF8 { fake(rule, UnsafeRawBufferPointer($0), maxLength: maxLength, attempt: attempt) }
    }

    /// The fake value under a generating `rule` for the value whose UTF-8 bytes are `bytes`:
    /// what ``apply(_:to:maxLength:attempt:)`` gives for it, without the value becoming a
    /// `String` first (most rules only hash it).
    func fake(_ rule: SanitizeRule, _ bytes: UnsafeRawBufferPointer, maxLength: Int?, attempt: Int = 0) -> String {
        var random = generator(rule, bytes, attempt: attempt)
        let value = { String(decoding: bytes, as: UTF8.self) }
        let fake: String
        switch rule {
        case .email:
            let first = random.pick(Self.lowercaseFirstNames)
            let last = random.pick(Self.lowercaseLastNames)
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
            if bytes.isEmpty { return "" }
            fake = filler(length: Self.scalarCount(bytes), &random)
        case .ip:
            fake =
                bytes.contains(UInt8(ascii: ":"))
                ? "2001:db8:\(hex(4, &random)):\(hex(4, &random))::\(hex(4, &random))"
                : "10.\(random.below(256)).\(random.below(256)).\(1 + random.below(254))"
            // An inet column may carry a prefix length; keep its shape.
            if let slash = bytes.firstIndex(of: UInt8(ascii: "/")) {
                return fake + String(decoding: bytes[slash...], as: UTF8.self)
            }
            return fake
        case .token:
            fake = hex(max(value().count, 1), &random)
        case .dateShift(let days):
            return Self.shift(value(), by: random.int(in: -days...days))
        case .keep, .sql, .null, .constant:
            return value()
        }
        guard let maxLength, fake.utf8.count > maxLength, fake.count > maxLength else { return fake }
        return String(fake.prefix(maxLength))
    }

    private func generator(_ rule: SanitizeRule, _ value: UnsafeRawBufferPointer, attempt: Int) -> SeedRandom {
        let code = authenticationCode(rule, value, attempt: attempt)
        return SeedRandom(seed: code.withUnsafeBytes { $0.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } })
    }

    static let lowercaseFirstNames = FakeWords.firstNames.map { $0.lowercased() }
    static let lowercaseLastNames = FakeWords.lastNames.map { $0.lowercased() }

    private func digits(_ count: Int, _ random: inout SeedRandom) -> String {
        Self.string(count) { _ in UInt8(ascii: "0") + UInt8(random.below(10)) }
    }

    private func hex(_ count: Int, _ random: inout SeedRandom) -> String {
        Self.string(count) { _ in
            let nibble = UInt8(random.below(16))
            return nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
        }
    }

    /// An ASCII string of `count` bytes made in place, without a `Character` per byte.
    private static func string(_ count: Int, _ byte: (Int) -> UInt8) -> String {
        String(unsafeUninitializedCapacity: count) { buffer in
            for index in 0..<count { buffer[index] = byte(index) }
            return count
        }
    }

    /// Words up to about `length` characters: short, medium and long texts stay in their class.
    /// The words are ASCII, so bytes count characters; the text is made in place from their
    /// bytes, without growing a `String` word by word.
    private func filler(length: Int, _ random: inout SeedRandom) -> String {
        let target = max(length, 1)
        return String(unsafeUninitializedCapacity: target) { buffer in
            var count = 0
            while count < target {
                if count > 0 {
                    buffer[count] = UInt8(ascii: " ")
                    count += 1
                    if count == target { break }
                }
                let word = random.pick(Self.wordBytes)
                let taken = min(word.count, target - count)
                for index in 0..<taken { buffer[count + index] = word[index] }
                count += taken
            }
            return count
        }
    }

    /// ``FakeWords/words`` as UTF-8 bytes, for ``filler(length:_:)``.
    private static let wordBytes = FakeWords.words.map { Array($0.utf8) }

    /// The number of Unicode scalars in UTF-8 `bytes`, counted on the bytes (every byte that
    /// does not continue a scalar starts one), which is cheaper than walking its scalars.
    static func scalarCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
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
