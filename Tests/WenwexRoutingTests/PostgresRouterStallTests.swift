import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import WenwexConfig
import WenwexRouting
import WenwexSQL
import WenwexTestSupport

/// Slow is not gone: a stalled (`SIGSTOP`) primary or replica, and a machine whose cores are all
/// busy, must not turn into failed requests. Each test owns its cluster.
@Suite("Slow nodes on PostgreSQL", .serialized, .enabled(if: PostgresAvailability.shouldRun))
struct PostgresRouterStallTests {
    @Test func aStalledPrimaryUnderSteadyWritesLosesNoWriteAndFinishesThemAfterTheStall() async throws {
        // Never beside the suite's heaviest tests: their work would read as a stall here.
        try await ExclusiveTestWork.shared.run {
            try await withRoutedCluster(
                replicas: 1,
                setup: "CREATE TABLE events (id bigserial PRIMARY KEY, writer int NOT NULL)"
            ) { cluster, router in
                let load = WriteLoad(router: router, writers: 4)
                try await Task.sleep(for: .milliseconds(300))

                let clock = ContinuousClock()
                try await cluster.pause(cluster.primary)
                let pausedAt = clock.now
                // Writes issued while the primary is frozen: they must wait, not fail.
                let duringStall = Task {
                    try await withThrowingTaskGroup(of: ConsistencyToken.self) { group in
                        for writer in 0..<3 {
                            group.addTask {
                                try await router.write {
                                    try await $0.execute(
                                        "INSERT INTO events (writer) VALUES ($1)",
                                        [.integer(100 + writer)]
                                    )
                                }.token
                            }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                }
                // Longer than the probe timeout, so the probes see the stall. The timeout adapts to
                // four times the recent p99 probe latency, seconds on a fully loaded run, and stays
                // below the 30 s unresponsive limit, which the wait must not reach.
                try await waitForStatus(router, timeout: .seconds(25), "primary degraded") {
                    $0[node: "primary"]?.isDegraded == true
                }
                try await Task.sleep(for: .seconds(1))
                let stalled = router.status()[node: "primary"]
                try await cluster.resume(cluster.primary)
                let resumedAt = clock.now
                let stallWrites = try await duringStall.value
                let finishedAt = clock.now
                // The steady writers carry on after the stall: wait for five more acknowledged
                // writes (a fixed sleep made "how many" depend on how busy the machine was).
                let afterStall = load.writes
                let deadline = clock.now + .seconds(20)
                while load.writes < afterStall + 5, clock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                let result = await load.stop()

                #expect(
                    stalled?.isAvailable == true,
                    "a slow primary keeps taking writes: \(String(describing: stalled))"
                )
                #expect(pausedAt.duration(to: resumedAt) > testOptions().probeTimeout)
                #expect(stallWrites.count == 3)
                #expect(finishedAt >= resumedAt, "the writes issued during the stall completed after it")
                #expect(result.failures.isEmpty, "\(result.failures)")
                #expect(result.writes >= afterStall + 5, "the steady writers carried on after the stall")
                let rows = Int(try await cluster.psql("SELECT count(*) FROM events")) ?? -1
                #expect(rows == result.writes + 3, "every acknowledged write is in the table, and nothing else")
                try await waitForStatus(router, "primary healthy again") {
                    $0[node: "primary"]?.isDegraded == false && $0[node: "primary"]?.isAvailable == true
                }
            }
        }
    }

    @Test func aStalledReplicaIsDegradedWhileReadsCarryOnAndReturnsWithoutARestart() async throws {
        // Never beside the suite's heaviest tests: their work would read as a stall here.
        try await ExclusiveTestWork.shared.run {
            try await withRoutedCluster(
                replicas: 2,
                setup: "CREATE TABLE items (id int); INSERT INTO items VALUES (1)"
            ) { cluster, router in
                let load = ReadLoad(router: router, readers: 4)
                try await Task.sleep(for: .milliseconds(300))
                try await cluster.pause(cluster.replicas[0])
                try await waitForStatus(router, timeout: .seconds(10), "replica1 degraded") {
                    $0[node: "replica1"]?.isDegraded == true && $0[node: "replica1"]?.isAvailable == false
                }
                let degraded = router.status()[node: "replica1"]
                let readsAtDegrade = load.reads
                try await Task.sleep(for: .seconds(1))
                let readsWhileDegraded = load.reads - readsAtDegrade
                try await cluster.resume(cluster.replicas[0])
                try await waitForStatus(router, "replica1 back in rotation") {
                    $0[node: "replica1"]?.isAvailable == true && $0[node: "replica1"]?.isDegraded == false
                }
                let servedAtReturn = router.status()[node: "replica1"]?.queriesServed ?? 0
                try await Task.sleep(for: .milliseconds(500))
                let result = await load.stop()

                #expect(result.failures.isEmpty, "\(result.failures)")
                #expect(readsWhileDegraded > 20, "reads went on elsewhere while replica1 was frozen")
                #expect(degraded?.ejectionReason?.hasPrefix("degraded") == true, "\(String(describing: degraded))")
                #expect((router.status()[node: "replica1"]?.queriesServed ?? 0) > servedAtReturn)
                #expect((router.status()[node: "replica1"]?.ejections ?? 0) >= 1, "the degraded replica left rotation")
            }
        }
    }

    @Test func underACPUHogOnEveryCoreNoReadOrWriteFails() async throws {
        // Never beside the suite's heaviest tests: their work would read as a stall here.
        try await ExclusiveTestWork.shared.run {
            try await withRoutedCluster(
                replicas: 2,
                setup: "CREATE TABLE events (id bigserial PRIMARY KEY, writer int NOT NULL)"
            ) { _, router in
                let (writes, reads) = try await CPUHog.whileRunning {
                    let writes = WriteLoad(router: router, writers: 2)
                    let reads = ReadLoad(router: router, readers: 4, afterWritesOf: writes)
                    try await Task.sleep(for: .seconds(6))
                    return (await writes.stop(), await reads.stop())
                }
                #expect(writes.failures.isEmpty, "\(writes.failures)")
                #expect(reads.failures.isEmpty, "\(reads.failures)")
                #expect(writes.writes > 10 && reads.reads > 50, "writes \(writes.writes), reads \(reads.reads)")
                // Counted by this router alone (the metrics are shared with tests running beside it).
                #expect(
                    router.status().allSatisfy { $0.ejections == 0 },
                    "a busy machine ejected a node: \(router.status())"
                )
            }
        }
    }

    @Test func theRouterReturnsOnGracefulShutdownEvenWithAStalledNode() async throws {
        // Never beside the suite's heaviest tests: their work would read as a stall here.
        try await ExclusiveTestWork.shared.run {
            try await PostgresCluster.withCluster(replicas: 1) { cluster in
                let router = try PostgresRouter(
                    endpoints: try endpoints(cluster),
                    options: testOptions(),
                    logger: quietLogger
                )
                let group = ServiceGroup(services: [router], gracefulShutdownSignals: [], logger: quietLogger)
                let running = Task { try await group.run() }
                try await waitForStatus(router, "replica probed") {
                    $0.allSatisfy { $0.replayPosition != nil || $0.role == .primary }
                }
                try await cluster.pause(cluster.replicas[0])
                try await Task.sleep(for: .milliseconds(300))  // a probe is now waiting on the frozen node
                let elapsed = try await ContinuousClock().measure {
                    await group.triggerGracefulShutdown()
                    try await running.value
                }
                try await cluster.resume(cluster.replicas[0])
                #expect(elapsed < .seconds(3), "shutdown took \(elapsed)")
                await #expect(throws: (any Error).self) { try await router.run() }
            }
        }
    }
}

/// What a load's tasks share: whether to stop, how much completed, the latest write's token.
final class LoadState: Sendable {
    private let stopFlag = Atomic<Bool>(false)
    private let count = Atomic<Int>(0)
    private let token = Mutex<ConsistencyToken?>(nil)

    var isStopped: Bool { stopFlag.load(ordering: .relaxed) }
    func stop() { stopFlag.store(true, ordering: .relaxed) }
    var completed: Int { count.load(ordering: .relaxed) }
    func complete() { count.add(1, ordering: .relaxed) }
    var latestToken: ConsistencyToken? { token.withLock { $0 } }

    /// The text kept for a failure: the first 20 in full, then only that there were more. A
    /// router that is gone fails every call at once, and keeping each one grew a test process
    /// to 20 GB before the kernel killed it.
    static func keepFailure(_ error: any Error, count: Int) -> String {
        count < 20 ? String(reflecting: error) : "(more failures)"
    }

    /// A failing call can throw without suspending; a short sleep keeps a loop of them from
    /// holding one of the two cooperative threads.
    static func backOffAfterFailure() async {
        try? await Task.sleep(for: .milliseconds(5))
    }
    func wrote(_ written: ConsistencyToken) { token.withLock { $0 = max($0 ?? written, written) } }
}

/// Writers that insert rows in a loop until stopped, counting successes and keeping failures.
final class WriteLoad: Sendable {
    private let task: Task<[String], Never>
    private let state = LoadState()

    init(router: PostgresRouter, writers: Int) {
        let state = self.state
        task = Task {
            await withTaskGroup(of: [String].self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var failures: [String] = []
                        while !state.isStopped, !Task.isCancelled {
                            do {
                                let written = try await router.write {
                                    try await $0.execute("INSERT INTO events (writer) VALUES ($1)", [.integer(writer)])
                                }
                                state.wrote(written.token)
                                state.complete()
                            } catch {
                                failures.append(LoadState.keepFailure(error, count: failures.count))
                                await LoadState.backOffAfterFailure()
                            }
                        }
                        return failures
                    }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
        }
    }

    /// The token of the latest acknowledged write.
    var latestToken: ConsistencyToken? { state.latestToken }

    /// Writes acknowledged so far.
    var writes: Int { state.completed }

    /// A test that throws before `stop()` releases the load: it must not run on against a
    /// router that is gone.
    deinit {
        state.stop()
        task.cancel()
    }

    func stop() async -> (writes: Int, failures: [String]) {
        state.stop()
        let failures = await task.value
        return (state.completed, failures)
    }
}

/// Readers that read in a loop until stopped (with the latest write's token, when given writes
/// to follow), counting successes and keeping failures.
final class ReadLoad: Sendable {
    private let task: Task<[String], Never>
    private let state = LoadState()

    init(router: PostgresRouter, readers: Int, afterWritesOf writes: WriteLoad? = nil) {
        let state = self.state
        let table = writes == nil ? "items" : "events"
        task = Task {
            await withTaskGroup(of: [String].self) { group in
                for _ in 0..<readers {
                    group.addTask {
                        var failures: [String] = []
                        while !state.isStopped, !Task.isCancelled {
                            do {
                                _ = try await router.read(after: writes?.latestToken) {
                                    try await $0.query("SELECT count(*) FROM \(unsafeRaw: table)")
                                }
                                state.complete()
                            } catch {
                                failures.append(LoadState.keepFailure(error, count: failures.count))
                                await LoadState.backOffAfterFailure()
                            }
                        }
                        return failures
                    }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
        }
    }

    /// Reads completed so far.
    var reads: Int { state.completed }

    deinit {
        state.stop()
        task.cancel()
    }

    func stop() async -> (reads: Int, failures: [String]) {
        state.stop()
        let failures = await task.value
        return (state.completed, failures)
    }
}
