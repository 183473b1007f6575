import Foundation
import WenwexSQL

/// Makes one value of a `ColumnKind`.
///
/// `attempt` counts retries after a unique collision: from the first retry on, values get a
/// number or a wider range so that a unique column always finds a free value before long.
enum FakeValue {
    static func make(_ kind: ColumnKind, maxLength: Int?, attempt: Int, _ random: inout SeedRandom) -> SQLValue {
        switch kind {
        case .passwordHash:
            let hash = Seeder.devPasswordHash
            guard let maxLength, maxLength < hash.count else { return .text(hash) }
            return make(.code, maxLength: maxLength, attempt: attempt, &random)
        case .array(let element):
            let values = (0..<random.below(4)).compactMap { _ in
                make(element, maxLength: maxLength, attempt: attempt, &random).text
            }
            return .text(arrayLiteral(values))
        case .smallInt:
            return .integer(random.int(in: 0...(20 * (attempt + 1) * (attempt + 1))))
        case .integer:
            return .integer(random.int(in: 1...(1000 * (attempt + 1) * (attempt + 1))))
        case .float:
            return .double(Double(random.int(in: 0...100_000)) / 100)
        case .money:
            return .double(Double(random.int(in: 100...99_999)) / 100)
        case .decimal(let scale, let maxWhole):
            return .text(decimal(scale: scale, maxWhole: maxWhole, &random))
        case .boolean:
            return .bool(random.chance(0.5))
        case .dateTime:
            return .text(FakeTime.timestamp(&random))
        case .date:
            return .text(String(FakeTime.timestamp(&random).prefix(10)))
        case .time:
            return .text(String(FakeTime.timestamp(&random).dropFirst(11).prefix(8)))
        case .json:
            return .text(#"{"note":"\#(random.pick(FakeWords.words))","score":\#(random.int(in: 1...5))}"#)
        case .bytes:
            return .bytes((0..<16).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        case .oneOf(let values):
            return .text(random.pick(values))
        case .unwritable:
            return .null
        default:
            let text = FakeText.make(kind, &random)
            return .text(unique(text, kind: kind, maxLength: maxLength, attempt: attempt, &random))
        }
    }

    /// `text` cut to `maxLength`, with a number added on retries (inside an email's local part).
    private static func unique(
        _ text: String,
        kind: ColumnKind,
        maxLength: Int?,
        attempt: Int,
        _ random: inout SeedRandom
    ) -> String {
        // Random identifiers are fresh on every draw and must keep their format.
        if [.uuid, .cuid, .nanoid, .ulid].contains(kind) { return text }
        let suffix = attempt == 0 ? "" : String(random.int(in: 1...(100 * attempt * attempt + 99)))
        if kind == .email, let at = text.firstIndex(of: "@") {
            var domain = String(text[at...])
            let local = String(text[..<at])
            guard let maxLength else { return local + suffix + domain }
            // A short column keeps a real-looking address with a short domain.
            if maxLength < domain.count + 4 { domain = "@e.io" }
            let room = max(maxLength - domain.count, 1)
            let address =
                suffix.count < room ? String(local.prefix(room - suffix.count)) + suffix : String(suffix.suffix(room))
            return String((address + domain).prefix(maxLength))
        }
        let separator = suffix.isEmpty ? "" : (kind == .slug || kind == .code || kind == .username ? "-" : " ")
        let tail = separator + suffix
        guard let maxLength else { return text + tail }
        guard tail.count < maxLength else { return String(tail.suffix(maxLength)) }
        return String(text.prefix(maxLength - tail.count)) + tail
    }

    private static func decimal(scale: Int, maxWhole: Int, _ random: inout SeedRandom) -> String {
        let whole = maxWhole == 0 ? 0 : random.int(in: maxWhole >= 999 ? 1...maxWhole : 0...maxWhole)
        guard scale > 0 else { return String(whole) }
        var fraction = String(random.below(Int(pow10(scale))))
        while fraction.count < scale { fraction = "0" + fraction }
        return "\(whole).\(fraction)"
    }

    private static func pow10(_ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { value, _ in value * 10 }
    }

    /// A PostgreSQL array literal: `{"a","b"}`.
    private static func arrayLiteral(_ values: [String]) -> String {
        let quoted = values.map { value in
            "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }
}
