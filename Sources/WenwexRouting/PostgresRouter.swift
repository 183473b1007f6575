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
/// - A probe loop per node measures reachability, latency and lag. Failures accrue: a node
///   leaves rotation after `failureThreshold` failed probes in a row, or at once on a
///   connection-level failure (refused, reset, closed by the server). A probe slower than the
///   node's adaptive timeout only marks it degraded: a degraded replica gets no new reads but
///   keeps its pool and its reads in flight, a degraded primary keeps taking writes. See
///   `NodeHealth` for every rule.
/// - A request that meets a broken connection ejects its node at once (the write is its own
///   probe); a read is then retried elsewhere.
/// - With the primary down, writes fail fast with `RoutingError.primaryUnavailable` and reads
///   keep working from the replicas.
///
/// Run it with `run()` (it is a swift-service-lifecycle `Service`: it returns on graceful
/// shutdown or cancellation) for as long as it is used, once.
public final class PostgresRouter: DatabaseRouter {
    let primary: Node
    let replicas: [Node]
    let options: RoutingOptions
    let logger: Logger
    /// `wal_block_size` and `wal_segment_size`, read once, for turning insert positions into
    /// tokens.
    private let walGeometry = Mutex<(page: UInt64, segment: UInt64)?>(nil)
    private let fallbacks = FallbackMetrics()
    /// The primary's latest known WAL position (from probes and write tokens), for replica lag.
    private let primaryPosition = Atomic<UInt64>(0)
    /// Notified whenever any replica is seen to have replayed further.
    private let replayAdvances: ChangeSignal
    private let hasRun = Atomic<Bool>(false)

    /// Creates a router for `endpoints`; every URL must be a PostgreSQL URL.
    public init(endpoints: DatabaseEndpoints, options: RoutingOptions = .init(), logger: Logger) throws {
        let policy = HealthPolicy(options)
        let replayAdvances = ChangeSignal()
        self.replayAdvances = replayAdvances
        func node(_ endpoint: DatabaseEndpoints.Endpoint, name: String, role: NodeStatus.Role) throws -> Node {
            guard case .postgres(let location) = endpoint.url.kind else {
                throw RoutingConfigurationError(
                    description: "\(endpoint.variable) is \(endpoint.url.label); PostgresRouter needs PostgreSQL URLs"
                )
            }
            return Node(
                state: NodeState(name: name, role: role, policy: policy, replayAdvances: replayAdvances),
                clientConfiguration: try PostgresSettings.client(
                    location,
                    connectTimeout: options.connectTimeout,
                    maximumConnections: options.connectionsPerNode
                ),
                probeConfiguration: try PostgresSettings.connection(location, connectTimeout: options.connectTimeout),
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

    /// Runs every node's pool and probe loop until graceful shutdown or cancellation, then
    /// closes the probe connections. Call it once (a router, like a `PostgresClient`, runs
    /// once); a second call throws.
    public func run() async throws {
        guard !hasRun.exchange(true, ordering: .relaxed) else {
            throw RoutingConfigurationError(description: "PostgresRouter.run() was called twice; a router runs once")
        }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for node in [self.primary] + self.replicas {
                    group.addTask { await node.superviseClient() }
                    group.addTask { await self.probeLoop(node) }
                }
            }
        }
        for node in [primary] + replicas {
            await dropProbeConnection(node)
        }
    }

    /// The primary's latest known insert position (0 before the first probe or write).
    var latestPrimaryPosition: UInt64 { primaryPosition.load(ordering: .relaxed) }

    func observePrimaryPosition(_ position: ConsistencyToken) {
        primaryPosition.raise(to: position.position)
    }

    /// One entry per node: `primary`, then `replica1`, `replica2`, … in the order the replica URLs are
    /// configured.
    public func status() -> [NodeStatus] {
        ([primary] + replicas).map { $0.state.status() }
    }

    // MARK: Writes

    /// Runs `body` on a pooled primary connection in autocommit mode; the token is the primary's WAL
    /// insert position afterwards.
    ///
    /// Throws ``RoutingError/primaryUnavailable(reason:)`` at once while the primary is out of
    /// rotation, and when its connection breaks under `body` (the primary is then ejected until a probe
    /// succeeds). Errors of the statement itself reach the caller unchanged.
    public func write<Value: Sendable>(
        _ body: (any SQLSession) async throws -> Value
    ) async throws -> Written<Value> {
        try await onPrimary(transactional: false, body)
    }

    /// Like ``write(_:)``, inside `BEGIN … COMMIT`: rolled back when `body` throws.
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
                    let value =
                        transactional
                        ? try await session.inTransaction { try await body(session) } : try await body(session)
                    let written = Written(value: value, token: try await token(after: session))
                    observePrimaryPosition(written.token)
                    return written
                }
            }
        } catch  where FailureKind(error) != .statement {
            // The write is its own probe: only a broken connection or a node that cannot take
            // writes gets here, never a slow one (requests wait; they do not time out).
            let reason = DatabaseErrorText.describe(error)
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

    /// Runs `body` on a replica that has replayed past `token`, or on the primary when none can.
    ///
    /// Without a token any available replica within ``RoutingOptions/maximumLagBytes`` and
    /// ``RoutingOptions/maximumLagSeconds`` may serve. With one, a replica whose probes already show the
    /// position serves at once; otherwise a replica is asked for its replay position on the leased
    /// connection, and once ``RoutingOptions/tokenWait`` has passed the read goes to the primary or
    /// throws ``RoutingError/replicasBehind(token:)``, per ``RoutingOptions/staleReadFallback``. A
    /// replica whose connection breaks is ejected and the read retried elsewhere, so `body` may run more
    /// than once. Throws ``RoutingError/noNodeAvailable`` when the read needs the primary and the
    /// primary is out of rotation or its connection breaks.
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
                        // Every candidate is behind. Replay position is only learnt by asking a
                        // replica, so ask again after a millisecond, or as soon as another read
                        // or a probe sees a replica advance.
                        await replayAdvances.wait(atMost: min(.milliseconds(1), clock.now.duration(to: deadline)))
                        try Task.checkCancellation()
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
                eject(node, reason: DatabaseErrorText.describe(error))
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
            eject(primary, reason: DatabaseErrorText.describe(error))
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
}

/// The router was given something it cannot route to.
public struct RoutingConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in one sentence without a password: a URL the router cannot use (naming its
    /// variable), a second ``PostgresRouter/run()``, or a server answer it could not read.
    public var description: String
}

struct NotCaughtUp: Error {}
