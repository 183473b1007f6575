/// PostgreSQL's binary `timestamp`/`date` values as ISO 8601 text, by integer arithmetic.
///
/// Going through `Date` (a `Double` of seconds since 2001) and a formatter loses the last
/// millisecond now and then: `17:10:44.517` printed as `.516`, so the same row read the same
/// JSON on SQLite and different JSON on PostgreSQL. PostgreSQL sends microseconds since
/// 2000-01-01 as an `Int64`; formatting those integers is exact (and cheaper).
enum PostgresTimestampText {
    /// Days from 0000-03-01 (the civil-calendar algorithm's epoch) to 2000-01-01.
    static let postgresEpochDays = 730_425

    /// `YYYY-MM-DDTHH:MM:SS.mmm` (UTC, no zone designator), milliseconds truncated as
    /// PostgreSQL's own rounding to the displayed precision would not carry into seconds.
    static func iso8601(microsecondsSince2000 micros: Int64) -> String {
        if micros == .max { return "infinity" }
        if micros == .min { return "-infinity" }
        let perDay: Int64 = 86_400_000_000
        var days = micros / perDay
        var rest = micros % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        let (year, month, day) = civil(daysSince2000: Int(days))
        let millis = Int(rest / 1000)
        let hours = millis / 3_600_000
        let minutes = millis / 60000 % 60
        let seconds = millis / 1000 % 60
        return
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(seconds, 2)).\(pad(millis % 1000, 3))"
    }

    /// A `date` as the same text at midnight, which is how it read before.
    static func iso8601(daysSince2000 days: Int32) -> String {
        if days == .max { return "infinity" }
        if days == .min { return "-infinity" }
        let (year, month, day) = civil(daysSince2000: Int(days))
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T00:00:00.000"
    }

    /// Howard Hinnant's `civil_from_days`, shifted to PostgreSQL's epoch.
    static func civil(daysSince2000: Int) -> (year: Int, month: Int, day: Int) {
        let z = daysSince2000 + postgresEpochDays
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(abs(value))
        let padded = text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        return value < 0 ? "-" + padded : padded
    }
}
