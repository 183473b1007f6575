import Synchronization

/// `Date` for responses that lack one, formatted once per second.
final class DateHeader: Sendable {
    private let cached = Mutex<(second: Int, text: String)>((0, ""))

    func now() -> String {
        let instant = HTTPDate.now
        let second = Int(instant)
        return cached.withLock { cached in
            if cached.second != second { cached = (second, HTTPDate.format(instant)) }
            return cached.text
        }
    }
}
