import Foundation
import Logging
import Metrics
import MetricsTestKit
import WenwexConfig
import WenwexRouting
import WenwexSQL
import WenwexTestSupport

/// Runs a router in the background for the duration of `body`, as a server would.
func withRunningRouter<Value: Sendable>(
    _ router: any DatabaseRouter,
    _ body: () async throws -> Value
) async throws -> Value {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await router.run() }
        defer { group.cancelAll() }
        return try await body()
    }
}

/// Starts a cluster with `replicas` streaming replicas, runs `setup` on the primary and waits
/// until every replica has it, then runs a router over the cluster for the duration of `body`,
/// which starts once every replica has been probed.
func withRoutedCluster<Value: Sendable>(
    replicas: Int,
    setup: String,
    options: RoutingOptions = testOptions(),
    _ body: (PostgresCluster, PostgresRouter) async throws -> Value
) async throws -> Value {
    try await PostgresCluster.withCluster(replicas: replicas) { cluster in
        _ = try await cluster.psql(setup)
        try await cluster.waitForReplay()
        let router = try PostgresRouter(endpoints: try endpoints(cluster), options: options, logger: quietLogger)
        return try await withRunningRouter(router) {
            try await waitForStatus(router, "replicas probed") {
                $0.allSatisfy { $0.replayPosition != nil || $0.role == .primary }
            }
            return try await body(cluster, router)
        }
    }
}

/// Endpoints for a cluster's primary and replicas (database `postgres`, TLS off).
func endpoints(_ cluster: PostgresCluster) throws -> DatabaseEndpoints {
    func endpoint(_ node: PostgresNode, _ role: DatabaseEndpoints.Endpoint.Role) throws -> DatabaseEndpoints.Endpoint {
        .init(
            role: role,
            variable: node.name,
            url: try DatabaseURL(node.url + "?sslmode=disable"),
            source: .processEnvironment
        )
    }
    return DatabaseEndpoints(
        primary: try endpoint(cluster.primary, .primary),
        replicas: try cluster.replicas.map { try endpoint($0, .replica) }
    )
}

/// Options with short timings so failures are noticed within a test's patience.
func testOptions() -> RoutingOptions {
    var options = RoutingOptions()
    options.probeInterval = .milliseconds(100)
    options.probeTimeout = .seconds(1)
    options.connectTimeout = .seconds(3)
    options.tokenWait = .seconds(1)
    options.connectionsPerNode = 4
    return options
}

/// Waits until `condition` holds for the router's status, or fails after `timeout`.
func waitForStatus(
    _ router: any DatabaseRouter,
    timeout: Duration = .seconds(15),
    _ what: String,
    _ condition: ([NodeStatus]) -> Bool
) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while !condition(router.status()) {
        guard ContinuousClock.now < deadline else {
            throw RouterTestFailure(description: "timed out waiting for \(what); status: \(router.status())")
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

struct RouterTestFailure: Error, CustomStringConvertible {
    var description: String
}

/// Silent, unless `ROUTER_TEST_LOG` is set: then the routers' health log goes to stderr, for
/// finding out why a routing test failed.
let quietLogger = Logger(label: "wenwex.routing.test") { label -> any LogHandler in
    ProcessInfo.processInfo.environment["ROUTER_TEST_LOG"] == nil
        ? SwiftLogNoOpLogHandler() : StreamLogHandler.standardError(label: label)
}

extension NodeStatus {
    func named(_ name: String, in statuses: [NodeStatus]) -> NodeStatus? {
        statuses.first { $0.name == name }
    }
}

extension Array where Element == NodeStatus {
    subscript(node name: String) -> NodeStatus? {
        first { $0.name == name }
    }
}

/// swift-metrics' test backend, bootstrapped once for the whole test process. Instruments are
/// shared by label and dimensions, so tests compare totals before and after what they do.
let routingMetrics: TestMetrics = {
    let metrics = TestMetrics()
    MetricsSystem.bootstrap(metrics)
    return metrics
}()

/// The total of a counter, 0 when it was never created.
func counterTotal(_ label: String, _ dimensions: [(String, String)]) -> Int64 {
    (try? routingMetrics.expectCounter(label, dimensions).totalValue) ?? 0
}
