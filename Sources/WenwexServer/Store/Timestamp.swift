import Foundation
import WenwexSQL

/// Database timestamps as ISO 8601 UTC text, whichever dialect stored them.
enum Timestamp {
    /// PostgreSQL arrives as ISO 8601 already; SQLite's `CURRENT_TIMESTAMP` is
    /// `YYYY-MM-DD HH:MM:SS`, and rows written by other tools may hold Unix milliseconds.
    ///
    /// Text is handled with native `String` operations: this runs for every row of every
    /// list, and Foundation's `contains(_:)` / `replacingOccurrences` go through CFString.
    static func iso8601(_ value: SQLValue) -> String? {
        switch value {
        case .text(let text):
            var utf8 = Array(text.utf8)
            if let space = utf8.firstIndex(of: UInt8(ascii: " ")) { utf8[space] = UInt8(ascii: "T") }
            let hasZone = utf8.last == UInt8(ascii: "Z") || utf8.contains(UInt8(ascii: "+"))
            if !hasZone { utf8.append(UInt8(ascii: "Z")) }
            return String(decoding: utf8, as: UTF8.self)
        case .integer(let milliseconds):
            return format(Date(timeIntervalSince1970: Double(milliseconds) / 1000))
        case .double(let milliseconds):
            return format(Date(timeIntervalSince1970: milliseconds / 1000))
        default:
            return nil
        }
    }

    /// The style formats in UTC but prints no zone with these fields; say so.
    static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)) + "Z"
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
