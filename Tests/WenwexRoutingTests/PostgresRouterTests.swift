import Foundation
import Testing
import WenwexConfig
import WenwexRouting
import WenwexSQL
import WenwexTestSupport

/// The router against a real primary with two streaming replicas. Each test owns its cluster,
/// because the tests stop nodes; they run one at a time to keep the machine's two cores free.
@Suite("Read/write splitting on PostgreSQL", .serialized, .enabled(if: PostgresAvailability.shouldRun))
struct PostgresRouterTests {
    @Test func readsSpreadOverBothReplicasAndWritesStayOnThePrimary() async throws {
        try await PostgresCluster.withCluster(replicas: 2, settings: ["shared_preload_libraries": "pg_stat_statements"])
        {
            cluster in
            _ = try await cluster.psql("CREATE EXTENSION pg_stat_statements; CREATE TABLE items (id int PRIMARY KEY)")
            try await cluster.waitForReplay()
            let router = try PostgresRouter(
                endpoints: try endpoints(cluster),
                options: testOptions(),
                logger: quietLogger
            )
            try await withRunningRouter(router) {
                for id in 1...10 {
                    _ = try await router.write { try await $0.execute("INSERT INTO items VALUES ($1)", [.integer(id)]) }
                }
                try await cluster.waitForReplay()
                try await waitForStatus(router, "replicas probed") {
                    $0.allSatisfy { $0.replayPosition != nil || $0.role == .primary }
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            for _ in 0..<50 {
                                let count = try await router.read {
                                    try await $0.query("SELECT count(*) AS n FROM items")[0]["n"]
                                }
                                #expect(count == .integer(10))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            // Counted by the servers themselves, not by the router.
            func calls(_ pattern: String, on node: PostgresNode) async throws -> Int {
                Int(
                    try await cluster.psql(
                        "SELECT COALESCE(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE '\(pattern)%'",
                        on: node
                    )
                ) ?? -1
            }
            let readsOnPrimary = try await calls("SELECT count(*) AS n FROM items", on: cluster.primary)
            let readsOnReplicas = try await cluster.replicas.asyncMap {
                try await calls("SELECT count(*) AS n FROM items", on: $0)
            }
            #expect(readsOnPrimary == 0)
            // At least every read once; on a starved machine a read that timed out on one replica
            // is retried on the other (reads are safe to repeat) and counts on both.
            #expect(readsOnReplicas.reduce(0, +) >= 200 && readsOnReplicas.reduce(0, +) <= 210)
            #expect(readsOnReplicas.allSatisfy { $0 >= 40 }, "reads per replica: \(readsOnReplicas)")
            #expect(try await calls("INSERT INTO items", on: cluster.primary) == 10)
            for replica in cluster.replicas {
                #expect(try await calls("INSERT INTO items", on: replica) == 0)
            }
        }
    }

    @Test func readYourWritesHoldsWhileAReplicaIsPausedAndPlainReadsCanBeStale() async throws {
        try await PostgresCluster.withCluster(replicas: 2) { cluster in
            _ = try await cluster.psql(
                "CREATE TABLE counter (id int PRIMARY KEY, v int NOT NULL); INSERT INTO counter VALUES (1, 0)"
            )
            try await cluster.waitForReplay()
            _ = try await cluster.psql("SELECT pg_wal_replay_pause()", on: cluster.replicas[0])
            // The paused replica's replay age grows for the whole test; on a busy machine it must
            // not pass the lag bound before the stale reads below (lag has its own rules).
            var options = testOptions()
            options.maximumLagSeconds = 300
            let router = try PostgresRouter(endpoints: try endpoints(cluster), options: options, logger: quietLogger)
            try await withRunningRouter(router) {
                var wrong = 0
                for value in 1...1_000 {
                    let written = try await router.write {
                        try await $0.execute("UPDATE counter SET v = $1 WHERE id = 1", [.integer(value)])
                    }
                    let read = try await router.read(after: written.token) {
                        try await $0.query("SELECT v FROM counter WHERE id = 1")[0]["v"]
                    }
                    if read != .integer(value) { wrong += 1 }
                }
                #expect(wrong == 0)

                // The same reads without the token: the paused replica answers with old data.
                var stale = 0
                for value in 1_001...1_100 {
                    _ = try await router.write {
                        try await $0.execute("UPDATE counter SET v = $1 WHERE id = 1", [.integer(value)])
                    }
                    let read = try await router.read {
                        try await $0.query("SELECT v FROM counter WHERE id = 1")[0]["v"]
                    }
                    if read != .integer(value) { stale += 1 }
                }
                #expect(stale > 0, "expected stale plain reads from the paused replica")
                let status = router.status()
                #expect((status[node: "replica2"]?.queriesServed ?? 0) > 500, "\(status)")
            }
            // Replay resumes at once; the resuming statement itself may then be cancelled by a
            // recovery conflict with the rows the paused replay held back, which is harmless.
            _ = try? await cluster.psql("SELECT pg_wal_replay_resume()", on: cluster.replicas[0])
        }
    }

    @Test func aReplicaStoppedUnderLoadIsEjectedWithoutFailedReadsAndReadmitted() async throws {
        try await PostgresCluster.withCluster(replicas: 2) { cluster in
            _ = try await cluster.psql("CREATE TABLE items (id int); INSERT INTO items VALUES (1)")
            try await cluster.waitForReplay()
            _ = routingMetrics
            let ejectionsBefore = counterTotal("wenwex_routing_ejections_total", [("node", "replica1")])
            let router = try PostgresRouter(
                endpoints: try endpoints(cluster),
                options: testOptions(),
                logger: quietLogger
            )
            try await withRunningRouter(router) {
                try await waitForStatus(router, "replicas probed") {
                    $0.allSatisfy { $0.replayPosition != nil || $0.role == .primary }
                }
                let load = Task {
                    var (reads, failures) = (0, [String]())
                    while !Task.isCancelled {
                        do {
                            _ = try await router.read { try await $0.query("SELECT count(*) FROM items") }
                            reads += 1
                        } catch is CancellationError where Task.isCancelled {
                            break  // the load itself was stopped
                        } catch {
                            failures.append(LoadState.keepFailure(error, count: failures.count))
                            await LoadState.backOffAfterFailure()
                        }
                    }
                    return (reads, failures)
                }
                // Stopped however the test leaves this scope: a load left running against a
                // router that is gone spins and keeps every failure.
                defer { load.cancel() }
                try await Task.sleep(for: .milliseconds(300))
                try await cluster.stop(cluster.replicas[0], mode: .immediate)
                try await waitForStatus(router, "replica1 ejected") { $0[node: "replica1"]?.isAvailable == false }
                try await Task.sleep(for: .milliseconds(300))
                try await cluster.start(cluster.replicas[0])
                try await waitForStatus(router, "replica1 re-admitted") { $0[node: "replica1"]?.isAvailable == true }
                let servedAtReadmission = router.status()[node: "replica1"]?.queriesServed ?? 0
                try await Task.sleep(for: .milliseconds(500))
                load.cancel()
                let (reads, failures) = await load.value
                #expect(failures.isEmpty, "\(failures)")
                #expect(reads > 100)
                #expect((router.status()[node: "replica1"]?.queriesServed ?? 0) > servedAtReadmission)
                #expect(counterTotal("wenwex_routing_ejections_total", [("node", "replica1")]) > ejectionsBefore)
                #expect(counterTotal("wenwex_routing_queries_total", [("node", "replica2"), ("kind", "read")]) > 0)
                #expect(
                    (try? routingMetrics.expectGauge("wenwex_routing_node_available", [("node", "replica1")]).lastValue)
                        == 1
                )
            }
        }
    }

    @Test func withThePrimaryDownWritesFailFastAndReadsContinue() async throws {
        try await PostgresCluster.withCluster(replicas: 2) { cluster in
            _ = try await cluster.psql("CREATE TABLE items (id int); INSERT INTO items VALUES (1)")
            try await cluster.waitForReplay()
            let router = try PostgresRouter(
                endpoints: try endpoints(cluster),
                options: testOptions(),
                logger: quietLogger
            )
            try await withRunningRouter(router) {
                _ = try await router.write { try await $0.execute("INSERT INTO items VALUES (2)") }
                try await cluster.waitForReplay()
                try await cluster.stop(cluster.primary, mode: .fast)

                let clock = ContinuousClock()
                let firstFailure = await clock.measure {
                    await #expect(throws: RoutingError.self) {
                        _ = try await router.write { try await $0.execute("INSERT INTO items VALUES (3)") }
                    }
                }
                #expect(firstFailure < .seconds(3))
                try await waitForStatus(router, "primary ejected") { $0[node: "primary"]?.isAvailable == false }
                let laterFailure = await clock.measure {
                    await #expect {
                        _ = try await router.write { try await $0.execute("INSERT INTO items VALUES (4)") }
                    } throws: { error in
                        guard case RoutingError.primaryUnavailable = error else { return false }
                        return (error as? RoutingError)?.httpStatus == 503
                    }
                }
                #expect(laterFailure < .milliseconds(100))
                for _ in 0..<20 {
                    let count = try await router.read { try await $0.query("SELECT count(*) AS n FROM items")[0]["n"] }
                    #expect(count == .integer(2))
                }

                // The primary comes back: writes work again without a restart.
                try await cluster.start(cluster.primary)
                try await waitForStatus(router, "primary re-admitted") { $0[node: "primary"]?.isAvailable == true }
                let written = try await router.write { try await $0.execute("INSERT INTO items VALUES (5)") }
                let count = try await router.read(after: written.token) {
                    try await $0.query("SELECT count(*) AS n FROM items")[0]["n"]
                }
                #expect(count == .integer(3))
            }
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
