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
    /// Signs ``userID`` for the origin when the request goes there. A signature is an
    /// HMAC, and made here it would be made for every cache hit too, which never reaches the
    /// origin; so the JWT guard leaves the signer, and the proxy signs on the way out.
    public var identitySigner: EdgeIdentity?

    public init(
        method: HTTPRequest.Method,
        target: String,
        headers: HTTPFields,
        clientAddress: String,
        userID: String? = nil
    ) {
        self.method = method
        self.target = target
        self.headers = headers
        self.clientAddress = clientAddress
        self.userID = userID
    }

    /// The path without the query.
    public var path: Substring { target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target[..<$0] } ?? target[...] }
}

/// An edge function: runs before the cache and the origin, and either lets the request on
/// (`nil`, possibly after editing it) or answers it at the edge.
///
/// Teams write their own rules as guards; the built-ins are ``HeaderHygieneGuard``,
/// ``BanListGuard``, ``JWTGuard``, ``RateLimitGuard`` and ``MaintenanceGuard``.
///
/// A guard that can decide without suspending also implements ``decidesWithoutWaiting(_:)``
/// and ``inspectWithoutWaiting(_:)``: then a cache hit is answered on the connection's event
/// loop, never entering Swift concurrency, which is most of a small hit's cost. A guard that
/// implements only ``inspect(_:)`` still works; its requests take the asynchronous path.
public protocol EdgeGuard: Sendable {
    /// A short name for logs and metrics (`bans`, `jwt`).
    var name: String { get }
    /// `nil` to continue, or the response that ends the request here.
    func inspect(_ request: inout GuardedRequest) async -> Response?
    /// Whether ``inspectWithoutWaiting(_:)`` can decide this request. Must change nothing:
    /// it is asked of every guard before any of them runs, so that no guard's effect (a rate
    /// limit's token) happens twice when one of them needs to wait.
    func decidesWithoutWaiting(_ request: GuardedRequest) -> Bool
    /// The same decision as ``inspect(_:)``, made without suspending. Asked only after
    /// ``decidesWithoutWaiting(_:)`` said yes.
    func inspectWithoutWaiting(_ request: inout GuardedRequest) -> GuardVerdict
}

extension EdgeGuard {
    public func decidesWithoutWaiting(_ request: GuardedRequest) -> Bool { false }
    public func inspectWithoutWaiting(_ request: inout GuardedRequest) -> GuardVerdict { .mustWait }
}

/// A guard's decision made without suspending.
public enum GuardVerdict: Sendable {
    /// Let the request on.
    case proceed
    /// End the request here with this answer.
    case answer(EdgeAnswer)
    /// The guard cannot decide without waiting after all (its keys changed since it was asked);
    /// the request takes the asynchronous path.
    case mustWait

    /// The verdict as ``EdgeGuard/inspect(_:)`` returns it, for a guard whose asynchronous
    /// path is its synchronous one.
    var response: Response? {
        if case .answer(let answer) = self { return answer.response }
        return nil
    }
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

    /// The pipeline's decision without suspending: `.mustWait` (with nothing run) unless every
    /// guard can decide this request now.
    public func runWithoutWaiting(_ request: inout GuardedRequest) -> GuardVerdict {
        // By index: a `for … in` copies each guard out of the array, a retain and a release per
        // guard on every hit.
        for index in guards.indices where !guards[index].decidesWithoutWaiting(request) { return .mustWait }
        for index in guards.indices {
            switch guards[index].inspectWithoutWaiting(&request) {
            case .proceed: continue
            case let verdict: return verdict
            }
        }
        return .proceed
    }
}
