import Synchronization

/// One origin fetch per cold key, however many clients ask at once.
///
/// The first request for a key leads: it fetches and stores. Requests arriving while it runs
/// wait for it and then look in the cache again; when the leader's response could not be
/// stored (`private`, too large) each of them fetches for itself, as Varnish's hit-for-miss does.
public final class FetchCoalescer: Sendable {
    private let waiting = Mutex<[String: [CheckedContinuation<Void, Never>]]>([:])

    public init() {}

    /// Runs `fetch` as the leader for `key`, or waits for the leader already running and returns
    /// `nil`; the caller then looks up the cache.
    public func lead<Result: Sendable>(_ key: String, _ fetch: () async throws -> Result) async throws -> Result? {
        let isLeader = waiting.withLock { waiting in
            if waiting[key] == nil {
                waiting[key] = []
                return true
            }
            return false
        }
        if !isLeader {
            await withCheckedContinuation { continuation in
                let joined = waiting.withLock { waiting in
                    guard waiting[key] != nil else { return false }
                    waiting[key]!.append(continuation)
                    return true
                }
                // The leader finished between the two steps.
                if !joined { continuation.resume() }
            }
            return nil
        }
        defer {
            let followers = waiting.withLock { $0.removeValue(forKey: key) } ?? []
            followers.forEach { $0.resume() }
        }
        return try await fetch()
    }
}
