/// How the router chooses nodes and how long it waits for them.
public struct RoutingOptions: Sendable {
    /// What a read with a token does when no replica has caught up within `tokenWait`.
    public enum StaleReadFallback: Sendable {
        /// Serve it from the primary (always correct, costs primary capacity).
        case primary
        /// Throw `RoutingError.replicasBehind`, for callers that prefer to retry.
        case fail
    }

    /// A replica further behind than this (in WAL bytes) gets no token-less reads.
    public var maximumLagBytes: UInt64 = 16 * 1024 * 1024
    /// A replica whose last replayed transaction is older than this while it is behind gets no
    /// token-less reads.
    public var maximumLagSeconds: Double = 10
    /// How often each node is probed for reachability and lag.
    public var probeInterval: Duration = .milliseconds(250)
    /// The shortest time a probe may take before its node counts as slow. The timeout in force
    /// adapts to the node: `slowProbeMultiple` times its recent p99 probe latency, never less.
    /// A slow replica gets no new reads; a slow primary keeps taking writes.
    public var probeTimeout: Duration = .seconds(1)
    /// The adaptive probe timeout is this many times the node's recent p99 latency.
    public var slowProbeMultiple: Int = 4
    /// Failed probes in a row (within `failureWindow`) that take a node out of rotation. A
    /// connection-level failure (refused, reset, closed by the server) does so at once.
    public var failureThreshold: Int = 3
    /// Probe failures further apart than this do not add up toward `failureThreshold`.
    public var failureWindow: Duration = .seconds(10)
    /// A probe unanswered for this long means the node is gone, not slow: a stalled primary is
    /// given as long as Patroni's default leader TTL before writes are refused.
    public var unresponsiveLimit: Duration = .seconds(30)
    /// How long a read with a token waits for a replica to catch up.
    public var tokenWait: Duration = .milliseconds(250)
    /// What a read with a token does when no replica catches up within ``tokenWait``; `.primary` by
    /// default.
    public var staleReadFallback: StaleReadFallback = .primary
    /// Pooled connections per node.
    public var connectionsPerNode: Int = 16
    /// How long to wait for a new connection (and for a pooled one when the node is down).
    public var connectTimeout: Duration = .seconds(2)

    /// Creates options with the defaults stated on each property.
    public init() {}
}
