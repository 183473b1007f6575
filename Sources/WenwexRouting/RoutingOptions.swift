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
    /// A probe slower than this counts as a failure.
    public var probeTimeout: Duration = .seconds(1)
    /// How long a read with a token waits for a replica to catch up.
    public var tokenWait: Duration = .milliseconds(250)
    public var staleReadFallback: StaleReadFallback = .primary
    /// Pooled connections per node.
    public var connectionsPerNode: Int = 16
    /// How long to wait for a new connection (and for a pooled one when the node is down).
    public var connectTimeout: Duration = .seconds(2)

    public init() {}
}
