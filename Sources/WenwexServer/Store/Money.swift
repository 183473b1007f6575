import Foundation
import WenwexSQL

/// An amount in cents: prices and totals are exact, whatever the database returns (PostgreSQL
/// numeric text, or SQLite's REAL/INTEGER for a DECIMAL column).
struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    var cents: Int64

    /// The largest price `DECIMAL(10,2)` holds.
    static let maxPrice = Money(cents: 99_999_999_99)

    init(cents: Int64) {
        self.cents = cents
    }

    /// Parses `12`, `12.5`, `12.50`; `nil` for anything else, including more than two decimals.
    init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let negative = trimmed.hasPrefix("-")
        let digits = negative ? String(trimmed.dropFirst()) : trimmed
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 15,
            parts[0].allSatisfy(\.isASCII), let whole = Int64(parts[0])
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let text = parts[1]
            guard (1...2).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(text)
            else { return nil }
            fraction = text.count == 1 ? value * 10 : value
        }
        cents = (whole * 100 + fraction) * (negative ? -1 : 1)
    }

    init?(_ value: SQLValue) {
        switch value {
        case .integer(let number): self.init(cents: Int64(number) * 100)
        case .double(let number): self.init(cents: Int64((number * 100).rounded()))
        case .text(let text):
            // PostgreSQL may print trailing zeros beyond two places (`12.500`).
            var trimmed = text
            if let dot = trimmed.firstIndex(of: ".") {
                while trimmed.last == "0", trimmed.index(before: trimmed.endIndex) > dot { trimmed.removeLast() }
                if trimmed.last == "." { trimmed.removeLast() }
            }
            self.init(text: trimmed)
        default: return nil
        }
    }

    var description: String {
        let sign = cents < 0 ? "-" : ""
        let absolute = cents.magnitude
        let fraction = absolute % 100
        return "\(sign)\(absolute / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }
}
