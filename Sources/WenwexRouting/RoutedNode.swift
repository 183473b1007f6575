import Logging
import PostgresNIO
import Synchronization

/// One database node: its pool, its health, and the connection its probes use.
final class Node: Sendable {
    let state: NodeState
    let clientConfiguration: PostgresClient.Configuration
    let probeConfiguration: PostgresConnection.Configuration
    let probeConnection = Mutex<PostgresConnection?>(nil)
    private let logger: Logger
    private let currentClient: Mutex<PostgresClient>

    init(
        state: NodeState,
        clientConfiguration: PostgresClient.Configuration,
        probeConfiguration: PostgresConnection.Configuration,
        logger: Logger
    ) {
        self.state = state
        self.clientConfiguration = clientConfiguration
        self.probeConfiguration = probeConfiguration
        self.logger = logger
        self.currentClient = Mutex(PostgresClient(configuration: clientConfiguration, backgroundLogger: logger))
    }

    /// The pool requests lease from.
    var client: PostgresClient { currentClient.withLock { $0 } }

    /// Runs the pool while the node is reachable. PostgresClient keeps a lease request waiting
    /// while it retries a dead server, so when the node is found gone the pool is shut down,
    /// which fails every waiting request at once (reads then move to another node, writes
    /// report the primary unavailable); a fresh pool starts once a probe succeeds again. A slow
    /// node keeps its pool. Failover stays off the request path: a request only reads the
    /// current pool. Waits on health changes, so it returns as soon as its task is cancelled.
    func superviseClient() async {
        while !Task.isCancelled {
            let client = self.client
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                await state.changes.wait { !state.isReachable }
                group.cancelAll()
            }
            await state.changes.wait { state.snapshot.probeSucceededSinceDown }
            guard !Task.isCancelled else { return }
            // Swap in a fresh pool before re-admitting, so no request meets the old one.
            let fresh = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
            currentClient.withLock { $0 = fresh }
            let (before, after) = state.update { $0.readmit() }
            report(before: before, after: after)
        }
    }

    /// Logs and counts a change of availability.
    func report(before: NodeHealth, after: NodeHealth) {
        if before.isAvailable, let reason = after.ejectionReason {
            logger.warning("ejected \(state.name): \(reason)")
            state.metrics.ejections.increment()
            state.countEjection()
        } else if !before.isAvailable, after.isAvailable {
            logger.notice("re-admitted \(state.name)")
        }
        if !before.isDegraded, after.isDegraded, after.isReachable {
            logger.warning(
                "\(state.name) is slow: a probe is unanswered after \(after.probeTimeout.formattedForHealth)"
            )
        }
        state.metrics.available.record(after.isAvailable ? 1 : 0)
        state.metrics.degraded.record(after.isDegraded ? 1 : 0)
    }
}
