public import HTTPTypes
public import Hummingbird
public import WenwexRouting

/// The database tier being degraded is the server's condition, not the request's fault, so every
/// `RoutingError` answers 503 with `Retry-After`, mapped once by conformance (as Hummingbird
/// maps NIO's errors) rather than at every call site.
extension RoutingError: HTTPResponseError {
    /// Always 503: the database tier, not the request, is at fault.
    public var status: HTTPResponse.Status { .serviceUnavailable }

    /// `Retry-After` in whole seconds, rounded up from the router's estimate.
    public var headers: HTTPFields {
        let (seconds, attoseconds) = retryAfter.components
        return [.retryAfter: String(seconds + (attoseconds > 0 ? 1 : 0))]
    }

    /// A bare 503 for apps without `ProblemMiddleware`; with it, clients get the problem document.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: headers)
    }
}

extension RoutingError: ProblemConvertible {
    /// What the client is told: the status, when to retry, and nothing of the database's own
    /// words (node names and driver errors stay in the log).
    public var problem: Problem {
        let detail =
            switch self {
            case .primaryUnavailable:
                "The database cannot take writes right now; nothing was changed. Retry after the Retry-After delay."
            case .noNodeAvailable:
                "No database server can answer right now. Retry after the Retry-After delay."
            case .replicasBehind:
                "The database has not caught up with your last change yet. Retry after the Retry-After delay."
            }
        return Problem(
            .serviceUnavailable,
            slug: "database-unavailable",
            title: "Database unavailable",
            detail: detail,
            headers: headers
        )
    }
}

/// An error that knows the problem document it answers with: `ProblemMiddleware` renders it
/// with its own status and headers, and logs the error itself at `warning`.
public protocol ProblemConvertible: Error {
    var problem: Problem { get }
}
