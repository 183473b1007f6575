import Foundation
import WenwexSQL

/// Database timestamps as ISO 8601 UTC text, whichever dialect stored them.
enum Timestamp {
    /// PostgreSQL arrives as ISO 8601 already; SQLite's `CURRENT_TIMESTAMP` is
    /// `YYYY-MM-DD HH:MM:SS`, and rows written by other tools may hold Unix milliseconds.
    static func iso8601(_ value: SQLValue) -> String? {
        switch value {
        case .text(let text):
            if text.contains("T") { return text.hasSuffix("Z") || text.contains("+") ? text : text + "Z" }
            return text.replacingOccurrences(of: " ", with: "T") + "Z"
        case .integer(let milliseconds):
            return Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(
                .iso8601.year().month().day().time(includingFractionalSeconds: true)
            )
        case .double(let milliseconds):
            return Date(timeIntervalSince1970: milliseconds / 1000).formatted(
                .iso8601.year().month().day().time(includingFractionalSeconds: true)
            )
        default:
            return nil
        }
    }
}

extension SQLValue {
    /// Booleans: PostgreSQL's `bool`, SQLite's 0/1.
    var isTrue: Bool {
        switch self {
        case .bool(let flag): flag
        case .integer(let number): number != 0
        case .text(let text): text == "true" || text == "t" || text == "1"
        default: false
        }
    }
}
