import Synchronization

extension Atomic where Value == UInt64 {
    /// Raises the value to `value` unless it is already at least that high; positions in the
    /// WAL only move forward, whichever probe or read reports them first. Returns whether the
    /// value rose.
    @discardableResult
    func raise(to value: UInt64) -> Bool {
        var current = load(ordering: .relaxed)
        while current < value {
            let (exchanged, original) = compareExchange(expected: current, desired: value, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }
}
