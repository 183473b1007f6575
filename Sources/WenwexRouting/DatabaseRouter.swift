public import ServiceLifecycle
public import WenwexSQL

/// One database handle for an application: writes go to the primary, reads to replicas.
///
/// Code states its intent (`write`, `transaction`, `read`) and never picks a node. The same
/// protocol is implemented over PostgreSQL replicas (`PostgresRouter`) and over the embedded
/// SQLite default (`SQLiteRouter`), so application code is identical in dev and prod.
public protocol DatabaseRouter: Service, Sendable {
    /// Runs `body` on the primary in autocommit mode and returns the token of its writes.
    func write<Value: Sendable>(_ body: (any SQLSession) async throws -> Value) async throws -> Written<Value>

    /// Runs `body` on the primary inside `BEGIN … COMMIT` (rolled back when it throws) and
    /// returns the token of the committed transaction.
    func transaction<Value: Sendable>(_ body: (any SQLSession) async throws -> Value) async throws -> Written<Value>

    /// Runs `body` on a node that has everything up to `token` (any healthy, fresh-enough
    /// replica when `token` is `nil`).
    ///
    /// `body` may run more than once: when a replica fails mid-read the read is retried on
    /// another node, so it must not write.
    func read<Value: Sendable>(
        after token: ConsistencyToken?,
        _ body: (any SQLSession) async throws -> Value
    ) async throws -> Value

    /// The state of every node, for status pages and tests.
    func status() -> [NodeStatus]

    /// Runs the connection pools and health probes until graceful shutdown or cancellation, so
    /// a router can be a service of its own in a `ServiceGroup`.
    func run() async throws
}

extension DatabaseRouter {
    /// A read without a token: any healthy replica whose lag is within bounds.
    public func read<Value: Sendable>(_ body: (any SQLSession) async throws -> Value) async throws -> Value {
        try await read(after: nil, body)
    }
}

/// One node as the router sees it.
public struct NodeStatus: Sendable, Hashable, Codable {
    /// What a node is for.
    public enum Role: String, Sendable, Hashable, Codable {
        /// The node writes go to (``SQLiteRouter``'s writer connection).
        case primary
        /// A streaming replica that serves reads (``SQLiteRouter``'s reader connections, as one entry).
        case replica
    }

    /// `primary`, `replica1`, `replica2`, … for ``PostgresRouter`` (replicas numbered in configuration
    /// order); `writer` and `readers` for ``SQLiteRouter``.
    public var name: String
    /// Whether writes or only reads go to it.
    public var role: Role
    /// Whether reads (or, for the primary, writes) are routed to it.
    public var isAvailable: Bool
    /// Whether its probes are slower than its adaptive timeout: a degraded replica gets no new
    /// reads, a degraded primary still takes writes.
    public var isDegraded: Bool
    /// Why it is not available.
    public var ejectionReason: String?
    /// The highest replay position seen on a replica, from probes and token checks; `nil` for the
    /// primary, for SQLite, and before the first probe answers.
    public var replayPosition: ConsistencyToken?
    /// How many WAL bytes the replica's replay trails the primary's latest known insert position; `nil`
    /// for the primary and until both positions are known.
    public var lagBytes: UInt64?
    /// Seconds since the replica replayed its last transaction while it is behind, 0 when caught up;
    /// `nil` whenever ``lagBytes`` is.
    public var lagSeconds: Double?
    /// Router calls running on the node right now: what load balancing compares.
    public var outstandingRequests: Int
    /// Router calls (reads, writes, transactions) started on the node since the router was created,
    /// including failed ones and reads that found it behind their token; one call may run several
    /// statements.
    public var queriesServed: Int
    /// How often it left rotation since the router started.
    public var ejections: Int
}
