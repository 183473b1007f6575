public import Logging
import Metrics
import PostgresNIO
public import ServiceLifecycle
import Synchronization
public import WenwexConfig
public import WenwexSQL

/// Read/write splitting over a PostgreSQL primary and its streaming replicas.
///
/// - Writes and transactions go to the primary and return a `ConsistencyToken`: the primary's
///   WAL position after the commit.
/// - A read with a token runs only on a node that has replayed past it. Replicas whose last
///   probed position suffices are used directly; otherwise the chosen replica is asked on the
///   leased connection, and when no replica catches up within `tokenWait` the read goes to the
///   primary (or fails, per `staleReadFallback`).
/// - A read without a token goes to a healthy replica whose lag is within bounds, picked by
///   power of two choices on requests in flight; with none, to the primary.
/// - A background probe per node measures reachability and lag, ejects failing or lagging
///   nodes and re-admits them when they recover. A node that fails a request is ejected at
///   once and the read is retried elsewhere.
/// - With the primary down, writes fail fast with `RoutingError.primaryUnavailable` and reads
///   keep working from the replicas.
///
/// Run it with `run()` (it is a swift-service-lifecycle `Service`) for as long as it is used.
public final class PostgresRouter: DatabaseRouter, Service {
    private let primary: Node
    private let replicas: [Node]
    private let options: RoutingOptions
    private let logger: Logger
    /// `wal_block_size` and `wal_segment_size`, read once, for turning insert positions into
    /// tokens.
    private let walGeometry = Mutex<(page: UInt64, segment: UInt64)?>(nil)
    private let fallbacks = FallbackMetrics()

    /// Creates a router for `endpoints`; every URL must be a PostgreSQL URL.
    public init(endpoints: DatabaseEndpoints, options: RoutingOptions = .init(), logger: Logger) throws {
        func node(_ endpoint: DatabaseEndpoints.Endpoint, name: String, role: NodeStatus.Role) throws -> Node {
            guard case .postgres(let location) = endpoint.url.kind else {
                throw RoutingConfigurationError(
                    description: "\(endpoint.variable) is \(endpoint.url.label); PostgresRouter needs PostgreSQL URLs"
                )
            }
            return Node(
                state: NodeState(name: name, role: role),
                clientConfiguration: try PostgresSettings.client(
                    location,
                    connectTimeout: options.connectTimeout,
                    maximumConnections: options.connectionsPerNode
                ),
                probeConfiguration: try PostgresSettings.connection(location, connectTimeout: options.probeTimeout),
                logger: logger
            )
        }
        self.primary = try node(endpoints.primary, name: "primary", role: .primary)
        self.replicas = try endpoints.replicas.enumerated().map {
            try node($0.element, name: "replica\($0.offset + 1)", role: .replica)
        }
        self.options = options
        self.logger = logger
    }

    // MARK: Running

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for node in [primary] + replicas {
                group.addTask { await node.superviseClient() }
            }
            group.addTask { await self.probeLoop() }
        }
        for node in [primary] + replicas {
            if let connection = node.probeConnection.withLock({ $0.take() }) {
                try? await connection.close()
            }
        }
    }

    public func status() -> [NodeStatus] {
        ([primary] + replicas).map { $0.state.status() }
    }

    // MARK: Writes

    public func write<Value: Sendable>(
        _ body: (any SQLSession) async throws -> Value
    ) async throws -> Written<Value> {
        try await onPrimary(transactional: false, body)
    }

    public func transaction<Value: Sendable>(
        _ body: (any SQLSession) async throws -> Value
    ) async throws -> Written<Value> {
        try await onPrimary(transactional: true, body)
    }

    private func onPrimary<Value: Sendable>(
        transactional: Bool,
        _ body: (any SQLSession) async throws -> Value
    ) async throws -> Written<Value> {
        if !primary.state.isAvailable {
            throw RoutingError.primaryUnavailable(reason: primary.state.snapshot.ejectionReason ?? "ejected")
        }
        primary.state.metrics.writes.increment()
        do {
            return try await primary.state.tracking {
                try await lease(primary) { connection in
                    let session = PostgresSession(connection: connection, logger: logger)
                    let value: Value
                    if transactional {
                        try await session.execute("BEGIN")
                        do {
                            value = try await body(session)
                            try await session.execute("COMMIT")
                        } catch {
                            try? await session.execute("ROLLBACK")
                            throw error
                        }
                    } else {
                        value = try await body(session)
                    }
                    return Written(value: value, token: try await token(after: session))
                }
            }
        } catch  where FailureKind(error) != .statement {
            let reason = FailureKind.describe(error)
            eject(primary, reason: reason)
            throw RoutingError.primaryUnavailable(reason: reason)
        }
    }

    /// The token for everything committed so far on `session`'s primary.
    private func token(after session: PostgresSession) async throws -> ConsistencyToken {
        let geometry = try await walGeometry(session)
        let row = try await session.query("SELECT pg_current_wal_insert_lsn()::text")
        guard let text = row.first?[0].text, let insert = ConsistencyToken(text) else {
            throw RoutingConfigurationError(description: "the primary returned no WAL position")
        }
        return .afterInsert(at: insert.position, pageSize: geometry.page, segmentSize: geometry.segment)
    }

    private func walGeometry(_ session: PostgresSession) async throws -> (page: UInt64, segment: UInt64) {
        if let known = walGeometry.withLock({ $0 }) { return known }
        let rows = try await session.query(
            "SELECT current_setting('wal_block_size')::bigint, (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size')"
        )
        let geometry = (UInt64(rows.first?[0].integer ?? 8192), UInt64(rows.first?[1].integer ?? 16 << 20))
        walGeometry.withLock { $0 = geometry }
        return geometry
    }

    // MARK: Reads

    public func read<Value: Sendable>(
        after token: ConsistencyToken?,
        _ body: (any SQLSession) async throws -> Value
    ) async throws -> Value {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: options.tokenWait)
        var failed: [NodeState] = []
        // Replicas found behind the token during this read; asked again only once every
        // candidate has been found behind, so a paused replica does not absorb the wait.
        var behind: [NodeState] = []
        while true {
            let usable = { (state: NodeState) in state.isAvailable && !failed.contains { $0 === state } }
            var chosen: Node?
            var mustCheck = false
            if let token {
                // Replicas already known to have the token's changes need no check.
                chosen = pickLeastLoaded(replicas, state: \.state) { usable($0) && $0.hasReplayed(token) }
                if chosen == nil {
                    chosen = pickLeastLoaded(replicas, state: \.state) { state in
                        usable(state) && !behind.contains { $0 === state }
                    }
                    if chosen == nil, !behind.isEmpty {
                        behind.removeAll()
                        guard clock.now < deadline else {
                            switch options.staleReadFallback {
                            case .primary:
                                fallbacks.tokenTimeout.increment()
                                return try await readOnPrimary(body)
                            case .fail:
                                throw RoutingError.replicasBehind(token: token)
                            }
                        }
                        try await Task.sleep(for: .milliseconds(1))
                        continue
                    }
                    mustCheck = true
                }
            } else {
                chosen = pickLeastLoaded(replicas, state: \.state) { usable($0) && $0.isFreshAndAvailable }
            }
            guard let node = chosen else {
                fallbacks.noReplica.increment()
                return try await readOnPrimary(body)
            }
            do {
                return try await readOnReplica(node, checking: mustCheck ? token : nil, body)
            } catch is NotCaughtUp {
                behind.append(node.state)
            } catch  where FailureKind(error) != .statement {
                eject(node, reason: FailureKind.describe(error))
                failed.append(node.state)
            }
        }
    }

    private func readOnReplica<Value: Sendable>(
        _ node: Node,
        checking token: ConsistencyToken?,
        _ body: (any SQLSession) async throws -> Value
    ) async throws -> Value {
        try await node.state.tracking {
            try await lease(node) { connection in
                let session = PostgresSession(connection: connection, logger: logger)
                if let token {
                    let rows = try await session.query("SELECT pg_last_wal_replay_lsn()::text")
                    guard let text = rows.first?[0].text, let replayed = ConsistencyToken(text) else {
                        throw NotCaughtUp()
                    }
                    node.state.observeReplay(replayed)
                    guard replayed >= token else { throw NotCaughtUp() }
                }
                node.state.metrics.reads.increment()
                return try await body(session)
            }
        }
    }

    private func readOnPrimary<Value: Sendable>(_ body: (any SQLSession) async throws -> Value) async throws -> Value {
        if !primary.state.isAvailable {
            throw RoutingError.noNodeAvailable
        }
        do {
            return try await primary.state.tracking {
                try await lease(primary) { connection in
                    primary.state.metrics.reads.increment()
                    return try await body(PostgresSession(connection: connection, logger: logger))
                }
            }
        } catch  where FailureKind(error) != .statement {
            eject(primary, reason: FailureKind.describe(error))
            throw RoutingError.noNodeAvailable
        }
    }

    // MARK: Leasing

    /// Leases a pooled connection of `node` for `body`. When the node stops answering, its pool
    /// is shut down (see `Node.superviseClient`), which fails a lease that is still waiting.
    private func lease<Value: Sendable>(
        _ node: Node,
        _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        try await node.client.withConnection { try await body($0) }
    }

    // MARK: Health

    /// Takes `node` out of rotation after a failed request until a probe succeeds again.
    private func eject(_ node: Node, reason: String) {
        let (before, after) = node.state.update { $0.markUnreachable(reason) }
        report(node, before: before, after: after)
    }

    private func probeLoop() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let primaryPosition = await probe(primary, primaryPosition: nil)
            await withDiscardingTaskGroup { group in
                for replica in replicas {
                    group.addTask { _ = await self.probe(replica, primaryPosition: primaryPosition) }
                }
            }
            try? await Task.sleep(for: options.probeInterval)
        }
    }

    /// Probes `node` and updates its health; returns the primary's insert position when
    /// probing the primary.
    private func probe(_ node: Node, primaryPosition: ConsistencyToken?) async -> ConsistencyToken? {
        do {
            let sample = try await withProbeTimeout { try await self.sample(node) }
            var reason: String?
            var lagBytes: UInt64?
            var lagSeconds: Double?
            switch node.state.role {
            case .primary:
                if sample.inRecovery { reason = "the primary is in recovery (read-only)" }
            case .replica:
                if !sample.inRecovery {
                    reason = "not in recovery: promoted or not a replica"
                } else if let primaryPosition {
                    lagBytes =
                        primaryPosition.position > sample.position.position
                        ? primaryPosition.position - sample.position.position : 0
                    lagSeconds = lagBytes == 0 ? 0 : sample.replayAge
                }
            }
            let (before, after) = node.state.update {
                $0.probeSucceeded = true
                $0.lagBytes = lagBytes
                $0.lagSeconds = lagSeconds
                $0.isFresh =
                    (lagBytes ?? 0) <= options.maximumLagBytes && (lagSeconds ?? 0) <= options.maximumLagSeconds
                $0.roleOrLagReason = reason
            }
            if node.state.role == .replica { node.state.observeReplay(sample.position) }
            if let lagBytes { node.state.metrics.lagBytes.record(Int64(clamping: lagBytes)) }
            if let lagSeconds { node.state.metrics.lagSeconds.record(lagSeconds) }
            report(node, before: before, after: after)
            return node.state.role == .primary ? sample.position : nil
        } catch {
            let reason = "probe failed: \(FailureKind.describe(error))"
            let (before, after) = node.state.update { $0.markUnreachable(reason) }
            // Drop the probe connection (closed first: PostgresNIO asserts that connections are
            // closed before they are released) so the next probe reconnects.
            if let broken = node.probeConnection.withLock({ $0.take() }) {
                try? await broken.close()
            }
            report(node, before: before, after: after)
            return nil
        }
    }

    private func report(_ node: Node, before: NodeHealth, after: NodeHealth) {
        node.report(before: before, after: after)
    }

    private struct Sample {
        var inRecovery: Bool
        /// Insert position on the primary, replay position on a replica.
        var position: ConsistencyToken
        /// Seconds since the last replayed transaction (replicas).
        var replayAge: Double
    }

    /// One probe query on the node's dedicated connection (opened on demand), outside the pool
    /// so probes work even when the pool is saturated.
    private func sample(_ node: Node) async throws -> Sample {
        let connection: PostgresConnection
        if let existing = node.probeConnection.withLock({ $0 }), !existing.isClosed {
            connection = existing
        } else {
            connection = try await PostgresConnection.connect(
                configuration: node.probeConfiguration,
                id: 0,
                logger: logger
            )
            node.probeConnection.withLock { $0 = connection }
        }
        let session = PostgresSession(connection: connection, logger: logger)
        let rows = try await session.query(
            """
            SELECT pg_is_in_recovery(),
                   (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END)::text,
                   COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)::float8
            """
        )
        guard let row = rows.first, case .bool(let inRecovery) = row[0], let text = row[1].text,
            let position = ConsistencyToken(text)
        else {
            throw RoutingConfigurationError(description: "unexpected probe result")
        }
        if case .double(let age) = row[2] {
            return Sample(inRecovery: inRecovery, position: position, replayAge: age)
        }
        return Sample(inRecovery: inRecovery, position: position, replayAge: 0)
    }

    private func withProbeTimeout<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) async throws
        -> Value
    {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await body() }
            group.addTask { [timeout = options.probeTimeout] in
                try await Task.sleep(for: timeout)
                return nil
            }
            guard let first = try await group.next(), let value = first else {
                group.cancelAll()
                throw ProbeTimedOut()
            }
            group.cancelAll()
            return value
        }
    }
}

/// One database node: its pool, its health, and the connection its probes use.
private final class Node: Sendable {
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

    /// Runs the pool while the node answers. PostgresClient keeps a lease request waiting while
    /// it retries a dead server, so when the node becomes unreachable the pool is shut down,
    /// which fails every waiting request at once (reads then move to another node, writes
    /// report the primary unavailable); a fresh pool starts when the node answers again. This
    /// keeps failover off the request path: a request only reads the current pool.
    func superviseClient(checkEvery interval: Duration = .milliseconds(20)) async {
        while !Task.isCancelled {
            let client = self.client
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                while !Task.isCancelled && state.isReachable {
                    try? await Task.sleep(for: interval)
                }
                group.cancelAll()
            }
            while !Task.isCancelled && !state.snapshot.probeSucceeded {
                try? await Task.sleep(for: interval)
            }
            guard !Task.isCancelled else { return }
            // Swap in a fresh pool before re-admitting, so no request meets the old one.
            let fresh = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
            currentClient.withLock { $0 = fresh }
            let (before, after) = state.update {
                $0.isReachable = true
                $0.unreachableReason = nil
            }
            report(before: before, after: after)
        }
    }

    /// Logs and counts a change of availability.
    func report(before: NodeHealth, after: NodeHealth) {
        if before.isAvailable, let reason = after.ejectionReason {
            logger.warning("ejected \(state.name): \(reason)")
            state.metrics.ejections.increment()
        } else if !before.isAvailable, after.isAvailable {
            logger.notice("re-admitted \(state.name)")
        }
        state.metrics.available.record(after.isAvailable ? 1 : 0)
    }
}

/// The router was given something it cannot route to.
public struct RoutingConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

private struct NotCaughtUp: Error {}

private struct ProbeTimedOut: Error, CustomStringConvertible {
    var description: String { "no answer within the probe timeout" }
}

/// Whether an error means the node is unusable (so the request may move elsewhere) or is the
/// statement's own fault (so it must reach the caller unchanged).
private enum FailureKind: Equatable {
    case node
    case statement

    init(_ error: any Error) {
        switch error {
        case is ProbeTimedOut:
            self = .node
        case let error as PSQLError:
            switch error.code {
            case .server:
                // 08: connection exception; 57P0x: the server is shutting down or starting;
                // 25006: a write reached a read-only node.
                let state = error.serverInfo?[.sqlState] ?? ""
                self = state.hasPrefix("08") || state.hasPrefix("57P") || state == "25006" ? .node : .statement
            case .queryCancelled:
                self = .statement
            default:
                self = .node
            }
        case is CancellationError:
            self = .statement
        default:
            let name = String(describing: type(of: error))
            self = name.contains("ConnectionPoolError") || name.contains("ChannelError") ? .node : .statement
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return SecretMasker.maskingCredentials(in: "\(underlying)") }
            return "\(error.code)"
        }
        return SecretMasker.maskingCredentials(in: "\(error)")
    }
}
