#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// HTTP dates (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms a
/// recipient must still accept. Seconds since 1970, UTC.
public enum HTTPDate {
    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    /// The instant `text` names, or `nil` when it is not exactly one of the three forms: a
    /// cache that guessed at a malformed `Expires` would keep content fresh that should not be.
    public static func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        if bytes.count == 29, bytes[3] == comma, bytes[4] == space, bytes[7] == space, bytes[11] == space,
            bytes[16] == space, bytes[25] == space, ascii(bytes[26...]) == "Gmt",
            shortDays.contains(ascii(bytes[0..<3])),
            let day = number(bytes[5..<7]), let month = month(bytes[8..<11]), let year = number(bytes[12..<16]),
            let clock = clock(bytes[17..<25])
        {
            return instant(year: year, month: month, day: day, clock: clock)
        }
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
        if let comma = bytes.firstIndex(of: comma), longDays.contains(ascii(bytes[..<comma])),
            bytes.count == comma + 24, bytes[comma + 1] == space, bytes[comma + 4] == dash, bytes[comma + 8] == dash,
            bytes[comma + 11] == space, bytes[comma + 20] == space, ascii(bytes[(comma + 21)...]) == "Gmt",
            let day = number(bytes[(comma + 2)..<(comma + 4)]), let month = month(bytes[(comma + 5)..<(comma + 8)]),
            let shortYear = number(bytes[(comma + 9)..<(comma + 11)]),
            let clock = clock(bytes[(comma + 12)..<(comma + 20)])
        {
            // RFC 9110 §5.6.7: a two-digit year more than 50 years ahead is in the past century.
            let year = shortYear < 70 ? 2000 + shortYear : 1900 + shortYear
            return instant(year: year, month: month, day: day, clock: clock)
        }
        // asctime: "Sun Nov  6 08:49:37 1994"
        if bytes.count == 24, bytes[3] == space, bytes[7] == space, bytes[10] == space, bytes[19] == space,
            shortDays.contains(ascii(bytes[0..<3])), let month = month(bytes[4..<7]),
            let day = bytes[8] == space ? number(bytes[9..<10]) : number(bytes[8..<10]),
            let clock = clock(bytes[11..<19]), let year = number(bytes[20..<24])
        {
            return instant(year: year, month: month, day: day, clock: clock)
        }
        return nil
    }

    private static let space = UInt8(ascii: " ")
    private static let comma = UInt8(ascii: ",")
    private static let dash = UInt8(ascii: "-")
    private static let colon = UInt8(ascii: ":")
    private static let shortDays: Set<String> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let longDays: Set<String> = [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    ]

    /// Names compare case-insensitively: `sun`, `NOV` and `gmt` are read as meant.
    private static func ascii(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    private static func month(_ bytes: ArraySlice<UInt8>) -> Int? {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return names.firstIndex(of: ascii(bytes)).map { $0 + 1 }
    }

    /// "08:49:37"
    private static func clock(_ bytes: ArraySlice<UInt8>) -> (Int, Int, Int)? {
        let start = bytes.startIndex
        guard bytes.count == 8, bytes[start + 2] == colon, bytes[start + 5] == colon,
            let hour = number(bytes[start..<(start + 2)]), let minute = number(bytes[(start + 3)..<(start + 5)]),
            let second = number(bytes[(start + 6)..<(start + 8)]), hour < 24, minute < 60, second < 61
        else { return nil }
        return (hour, minute, second)
    }

    private static func instant(year: Int, month: Int, day: Int, clock: (Int, Int, Int)) -> Double? {
        guard (1...31).contains(day) else { return nil }
        return Double(
            daysFromCivil(year: year, month: month, day: day) * 86_400 + clock.0 * 3600 + clock.1 * 60 + clock.2
        )
    }

    /// `instant` as an IMF-fixdate.
    public static func format(_ instant: Double) -> String {
        let seconds = Int(instant.rounded(.down))
        let dayNumber = Int((Double(seconds) / 86_400).rounded(.down))
        let secondOfDay = seconds - dayNumber * 86_400
        let (year, month, day) = civilFromDays(dayNumber)
        let weekday = days[((dayNumber % 7) + 11) % 7]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(two(day)) \(monthNames[month - 1]) \(year) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)) GMT"
    }

    /// Now, in seconds since 1970.
    public static var now: Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Howard Hinnant's days-from-civil.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
