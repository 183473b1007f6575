/// Why the router could not run a statement: the request was fine, the database tier is
/// degraded. Servers answer 503 with `Retry-After` (WenwexServer conforms it to Hummingbird's
/// `HTTPResponseError`).
public enum RoutingError: Error, Sendable, CustomStringConvertible {
    /// The primary is down or read-only: writes fail fast; reads keep working from replicas.
    case primaryUnavailable(reason: String)
    /// No node can serve the read (every replica and the primary are down).
    case noNodeAvailable
    /// No replica caught up with the token in time and the policy is `.fail`.
    case replicasBehind(token: ConsistencyToken)

    /// The HTTP status a server should answer with.
    public var httpStatus: Int { 503 }

    /// How long a client should wait before retrying: a replica catches up within moments; a
    /// node that is down is re-admitted within a few probe intervals of its return.
    public var retryAfter: Duration {
        switch self {
        case .replicasBehind: .seconds(1)
        case .primaryUnavailable, .noNodeAvailable: .seconds(5)
        }
    }

    /// One sentence for logs and problem documents; it names the token, never a node or a URL.
    public var description: String {
        switch self {
        case .primaryUnavailable(let reason): "the primary database is unavailable (\(reason)); writes are refused"
        case .noNodeAvailable: "no database node is available"
        case .replicasBehind(let token): "no replica has replayed past \(token) yet"
        }
    }
}
