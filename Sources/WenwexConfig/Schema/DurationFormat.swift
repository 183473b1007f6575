import Foundation

/// Reads and writes durations as `1h30m`, `250ms`, `2d`.
public enum DurationFormat {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// Parses a sequence of `<integer><unit>` parts; `0` alone is accepted without a unit.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "0" { return .zero }
        var rest = Substring(trimmed)
        var total: Int64 = 0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, let amount = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let letters = rest.prefix(while: { $0.isLetter })
            guard let unit = units.first(where: { $0.suffix == letters }) else { return nil }
            rest = rest.dropFirst(letters.count)
            let (product, overflow) = amount.multipliedReportingOverflow(by: unit.milliseconds)
            guard !overflow else { return nil }
            total += product
        }
        return .milliseconds(total)
    }

    /// The shortest exact spelling (`90s` → `1m30s`).
    public static func format(_ duration: Duration) -> String {
        var remaining = duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
        if remaining == 0 { return "0s" }
        var text = ""
        for unit in units.reversed() where remaining >= unit.milliseconds {
            text += "\(remaining / unit.milliseconds)\(unit.suffix)"
            remaining %= unit.milliseconds
        }
        return text
    }
}
