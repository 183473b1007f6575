import Synchronization

/// Wakes tasks waiting for a change of state, so the router waits on events instead of polling.
///
/// A waiter states what it waits for as a condition over state it reads itself; every
/// ``notify()`` re-checks the waiting conditions. Waits end when their task is cancelled, so a
/// service blocked in one still returns on shutdown (as PostgresNIO's `ConnectionRequest` does
/// with `withTaskCancellationHandler`).
final class ChangeSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        /// Waits cancelled before their continuation was registered.
        var cancelled: Set<UInt64> = []
    }

    private let state = Mutex(State())

    /// Wakes every waiter so it re-checks its condition.
    func notify() {
        let waiters = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters.removeAll(keepingCapacity: true) }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once `condition` holds, or when the task is cancelled (check `Task.isCancelled`).
    func wait(until condition: () -> Bool) async {
        while !Task.isCancelled {
            let generation = state.withLock { $0.generation }
            if condition() { return }
            await nextChange(after: generation)
        }
    }

    /// Returns at the next ``notify()``, after `duration`, or when the task is cancelled,
    /// whichever comes first.
    func wait(atMost duration: Duration) async {
        let generation = state.withLock { $0.generation }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.nextChange(after: generation) }
            group.addTask { try? await Task.sleep(for: duration) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Suspends until the generation moves past `generation` or the task is cancelled.
    private func nextChange(after generation: UInt64) async {
        let id = state.withLock { state in
            state.nextID &+= 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.generation != generation || state.cancelled.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.resume()
        }
        // A cancellation that raced with a wake-up leaves its mark behind; clear it.
        _ = state.withLock { $0.cancelled.remove(id) }
    }
}
