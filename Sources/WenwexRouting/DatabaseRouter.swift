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
    public enum Role: String, Sendable, Hashable, Codable {
        case primary
        case replica
    }

    public var name: String
    public var role: Role
    /// Whether reads (or, for the primary, writes) are routed to it.
    public var isAvailable: Bool
    /// Whether its probes are slower than its adaptive timeout: a degraded replica gets no new
    /// reads, a degraded primary still takes writes.
    public var isDegraded: Bool
    /// Why it is not available.
    public var ejectionReason: String?
    public var replayPosition: ConsistencyToken?
    public var lagBytes: UInt64?
    public var lagSeconds: Double?
    public var outstandingRequests: Int
    public var queriesServed: Int
    /// How often it left rotation since the router started.
    public var ejections: Int
}
