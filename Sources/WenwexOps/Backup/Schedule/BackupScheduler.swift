public import Logging
public import ServiceLifecycle

/// Runs a job (back up, verify, prune) every `interval`, as a service of a
/// swift-service-lifecycle `ServiceGroup`: `wenwex backup schedule` runs it alone, and a server
/// can run it beside its HTTP service.
///
/// - Runs never overlap: the next run starts only after the current one returned. Slots that
///   passed while a run was still going are skipped (and counted), not queued up.
/// - A missed run is caught up: when the newest backup is older than `interval` at start-up
///   (the process was down), the first run starts at once.
/// - Each run starts up to `jitter` after its slot, so many environments on one schedule do
///   not all hit their databases at the top of the hour.
///
/// Generic over its clock so tests drive it with a manual one.
public struct BackupScheduler<C: Clock>: Service where C.Duration == Duration {
    /// What the scheduler reports through ``onEvent``.
    public enum Event: Sendable, Hashable {
        /// The first run starts at once because the last backup is older than the interval.
        case catchingUp
        /// Run number n (from 1) started.
        case started(Int)
        /// Run n finished; `failed` when its job threw.
        case finished(Int, failed: Bool)
        /// Slots that passed while a run was going, skipped.
        case skipped(Int)
    }

    /// The time from one slot to the next; a run starts on its slot plus jitter.
    public var interval: Duration
    /// The most a run starts after its slot; `.zero` runs on the slot.
    public var jitter: Duration
    /// Sleeps and tells the time; a manual clock in tests.
    public var clock: C
    /// Logs catch-ups, failed runs, skipped slots and the stop.
    public var logger: Logger
    /// How long ago the newest backup was taken; `nil` when there is none.
    public var lastRunAge: @Sendable () async throws -> Duration?
    /// One run. A throw is logged and the run counted as failed, and the schedule goes on; a
    /// cancellation ends the schedule.
    public var job: @Sendable () async throws -> Void
    /// Called for every event, for tests and metrics.
    public var onEvent: @Sendable (Event) -> Void
    /// A number in `0..<1` for the jitter; random by default.
    public var randomFraction: @Sendable () -> Double

    /// Nothing runs until ``run()``; `onEvent` and `randomFraction` are there for tests.
    public init(
        every interval: Duration,
        jitter: Duration = .zero,
        clock: C,
        logger: Logger = Logger(label: "wenwex.backup.schedule"),
        lastRunAge: @escaping @Sendable () async throws -> Duration?,
        onEvent: @escaping @Sendable (Event) -> Void = { _ in },
        randomFraction: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        job: @escaping @Sendable () async throws -> Void
    ) {
        self.interval = interval
        self.jitter = jitter
        self.clock = clock
        self.logger = logger
        self.lastRunAge = lastRunAge
        self.onEvent = onEvent
        self.randomFraction = randomFraction
        self.job = job
    }

    /// Runs until the service group shuts down gracefully (a run in progress is cancelled: its
    /// backup leaves no manifest) or the task is cancelled; both end it without an error.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await loop()
            }
        } catch is CancellationError {
            logger.info("backup schedule stopped")
        }
    }

    private func loop() async throws {
        var slot = clock.now
        let age: Duration?
        do { age = try await lastRunAge() } catch {
            logger.warning("cannot tell when the last backup ran; running one now", metadata: ["error": "\(error)"])
            age = nil
        }
        if let age, age < interval {
            slot = slot.advanced(by: interval - age)
        } else {
            onEvent(.catchingUp)
            logger.info("the last backup is older than the interval: running one now")
        }
        var run = 0
        while !Task.isCancelled {
            try await clock.sleep(until: slot.advanced(by: jitter * randomFraction()), tolerance: nil)
            run += 1
            onEvent(.started(run))
            var failed = false
            do {
                try await job()
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failed = true
                logger.error("scheduled backup failed", metadata: ["run": "\(run)", "error": "\(error)"])
            }
            onEvent(.finished(run, failed: failed))
            slot = slot.advanced(by: interval)
            var skipped = 0
            while slot <= clock.now {
                slot = slot.advanced(by: interval)
                skipped += 1
            }
            if skipped > 0 {
                onEvent(.skipped(skipped))
                logger.warning(
                    "a backup ran longer than the interval; skipped the slots it overlapped",
                    metadata: ["skipped": "\(skipped)"]
                )
            }
        }
    }
}
