public import HTTPTypes
public import Hummingbird

/// What a guard sees of a request: enough to decide, and the headers it may edit before the
/// request goes on to the cache and the origin.
public struct GuardedRequest: Sendable {
    public var method: HTTPRequest.Method
    /// The path and query, as the client sent them.
    public var target: String
    /// The client's headers; a guard may remove or add fields.
    public var headers: HTTPFields
    /// The connected peer's IP address.
    public var clientAddress: String
    /// The user a verified token names, once the JWT guard has run.
    public var userID: String?

    /// The path without the query.
    public var path: Substring { target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0] }
}

/// An edge function: runs before the cache and the origin, and either lets the request on
/// (`nil`, possibly after editing it) or answers it at the edge.
///
/// Teams write their own rules as guards; the built-ins are ``HeaderHygieneGuard``,
/// ``BanListGuard``, ``JWTGuard``, ``RateLimitGuard`` and ``MaintenanceGuard``.
public protocol EdgeGuard: Sendable {
    /// A short name for logs and metrics (`bans`, `jwt`).
    var name: String { get }
    /// `nil` to continue, or the response that ends the request here.
    func inspect(_ request: inout GuardedRequest) async -> Response?
}

/// Guards run in order; the first answer wins and no later guard runs.
public struct GuardPipeline: Sendable {
    public var guards: [any EdgeGuard]

    public init(_ guards: [any EdgeGuard]) {
        self.guards = guards
    }

    /// The answer of the first guard that rejects, or `nil` when all let the request on.
    public func run(_ request: inout GuardedRequest) async -> Response? {
        for edgeGuard in guards {
            if let answer = await edgeGuard.inspect(&request) { return answer }
        }
        return nil
    }
}
