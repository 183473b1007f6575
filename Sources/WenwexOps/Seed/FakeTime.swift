/// Timestamps from a fixed two-year window (2024–2025), never from the clock, so a seed gives
/// the same rows tomorrow; written `YYYY-MM-DD HH:MM:SS.mmm`, which both dialects read.
enum FakeTime {
    static func timestamp(_ random: inout SeedRandom) -> String {
        let year = 2024 + random.below(2)
        let month = 1 + random.below(12)
        let day = 1 + random.below(28)
        let hour = random.below(24)
        let minute = random.below(60)
        let second = random.below(60)
        let millisecond = random.below(1000)
        return "\(year)-\(two(month))-\(two(day)) \(two(hour)):\(two(minute)):\(two(second)).\(three(millisecond))"
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
    private static func three(_ value: Int) -> String {
        value < 10 ? "00\(value)" : (value < 100 ? "0\(value)" : String(value))
    }
}
