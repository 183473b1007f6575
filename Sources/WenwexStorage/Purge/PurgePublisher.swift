public import Logging
import Synchronization

/// Fans purge events out to every sink, in the background, retrying each delivery a few times
/// with backoff, so deleting an object never waits for (or fails because of) a slow edge node.
///
/// A delivery that still fails is logged with the event's tags: the entry then lives until its
/// cache lifetime ends, which is what a CDN without purge would do anyway.
public final class PurgePublisher: Sendable {
    /// Every event goes to each sink independently: a failing sink does not hold up the others.
    public let sinks: [any PurgeSink]
    private let logger: Logger
    private let attempts: Int
    private let inFlight = Mutex<[Int: Task<Void, Never>]>([:])
    private let counter = Atomic<Int>(0)

    /// Each sink gets `attempts` tries per event (default 4; fewer than 1 counts as 1), 200 ms,
    /// 400 ms, 800 ms … apart; a delivery that still fails is logged on `logger`.
    public init(sinks: [any PurgeSink], attempts: Int = 4, logger: Logger = Logger(label: "wenwex.purge")) {
        self.sinks = sinks
        self.attempts = max(1, attempts)
        self.logger = logger
    }

    /// Events still being delivered.
    var pending: Int { inFlight.withLock { $0.count } }

    /// Starts delivering `event` to every sink and returns at once.
    public func publish(_ event: PurgeEvent) {
        guard !sinks.isEmpty else { return }
        let id = counter.add(1, ordering: .relaxed).newValue
        let sinks = sinks
        let attempts = attempts
        let logger = logger
        // Made under the lock, so a delivery that finishes at once cannot remove its entry
        // before the entry is there (it would then stay forever).
        inFlight.withLock { inFlight in
            inFlight[id] = Task { [weak self] in
                await withTaskGroup(of: Void.self) { group in
                    for sink in sinks {
                        group.addTask {
                            for attempt in 1...attempts {
                                do {
                                    try await sink.deliver(event)
                                    return
                                } catch {
                                    if attempt == attempts {
                                        logger.error(
                                            "purge not delivered",
                                            metadata: ["tags": "\(event.tags)", "error": "\(error)"]
                                        )
                                        return
                                    }
                                    try? await Task.sleep(for: .milliseconds(100 << attempt))
                                }
                            }
                        }
                    }
                }
                _ = self?.inFlight.withLock { $0.removeValue(forKey: id) }
            }
        }
    }

    /// Waits until every event published so far was delivered or given up on (shutdown, tests).
    public func flush() async {
        let tasks = inFlight.withLock { Array($0.values) }
        for task in tasks { await task.value }
    }
}
