#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// HTTP dates (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms a
/// recipient must still accept. Seconds since 1970, UTC.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    /// The instant `text` names, or `nil` when it is not an HTTP date.
    public static func parse(_ text: String) -> Double? {
        let parts = text.trimmingSpaces.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" || $0 == ":" })
            .map(String.init)
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT  → Sun 06 Nov 1994 08 49 37 GMT
        // RFC 850:     Sunday, 06-Nov-94 08:49:37 GMT → Sunday 06 Nov 94 08 49 37 GMT
        // asctime:     Sun Nov  6 08:49:37 1994       → Sun Nov 6 08 49 37 1994
        guard parts.count >= 7 else { return nil }
        var day: Int?
        var month: Int?
        var year: Int?
        var clock: [Int] = []
        if parts.count == 8, parts[7].uppercased() == "GMT" {
            day = Int(parts[1])
            month = months.firstIndex(of: parts[2].lowercased())
            year = Int(parts[3])
            clock = [parts[4], parts[5], parts[6]].compactMap { Int($0) }
            if let short = year, parts[3].count == 2 { year = short < 70 ? 2000 + short : 1900 + short }
        } else if parts.count == 7 {
            month = months.firstIndex(of: parts[1].lowercased())
            day = Int(parts[2])
            clock = [parts[3], parts[4], parts[5]].compactMap { Int($0) }
            year = Int(parts[6])
        }
        guard let day, let month, let year, clock.count == 3, (1...31).contains(day), clock[0] < 24,
            clock[1] < 60, clock[2] < 61
        else { return nil }
        return Double(daysFromCivil(year: year, month: month + 1, day: day) * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2])
    }

    /// `instant` as an IMF-fixdate.
    public static func format(_ instant: Double) -> String {
        let seconds = Int(instant.rounded(.down))
        let dayNumber = Int((Double(seconds) / 86_400).rounded(.down))
        let secondOfDay = seconds - dayNumber * 86_400
        let (year, month, day) = civilFromDays(dayNumber)
        let weekday = days[((dayNumber % 7) + 11) % 7]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(two(day)) \(months[month - 1].capitalized) \(year) "
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

extension String {
    fileprivate var capitalized: String { prefix(1).uppercased() + dropFirst() }
}
