import HTTPTypes
public import Hummingbird

/// One rate limit: `limit` requests per `seconds` for each client address, user or both,
/// on the requests it matches (a method and a path prefix).
public struct RateLimitRule: Sendable {
    public enum Scope: String, Sendable {
        /// Per client address.
        case address
        /// Per verified user (requests without one are not limited by this rule).
        case user
        /// Per verified user, else per address.
        case userOrAddress = "user-or-address"
    }

    public var name: String
    public var method: HTTPRequest.Method?
    public var pathPrefix: String
    public var scope: Scope
    public var limit: Int
    public var seconds: Int

    public init(
        name: String,
        method: HTTPRequest.Method? = nil,
        pathPrefix: String = "/",
        scope: Scope,
        limit: Int,
        seconds: Int
    ) {
        self.name = name
        self.method = method
        self.pathPrefix = pathPrefix
        self.scope = scope
        self.limit = limit
        self.seconds = seconds
    }

    /// Sign-in, the first customer: 10 password attempts per address per minute.
    public static let signIn = RateLimitRule(
        name: "sign-in",
        method: .post,
        pathPrefix: "/auth/signin",
        scope: .address,
        limit: 10,
        seconds: 60
    )

    func matches(_ request: GuardedRequest) -> Bool {
        (method == nil || method == request.method) && request.path.hasPrefix(pathPrefix)
    }
}

/// Token buckets per address, user and route: a request over its budget gets 429 with
/// `Retry-After` and the IETF `RateLimit-Policy` / `RateLimit` fields, at the edge.
public struct RateLimitGuard: EdgeGuard {
    public let name = "rate-limits"
    public let rules: [RateLimitRule]
    let buckets: any TokenBuckets

    public init(rules: [RateLimitRule], buckets: any TokenBuckets = LocalTokenBuckets()) {
        self.rules = rules
        self.buckets = buckets
    }

    public func inspect(_ request: inout GuardedRequest) async -> Response? {
        for rule in rules where rule.matches(request) {
            let subject: String
            switch rule.scope {
            case .address: subject = "a:" + request.clientAddress
            case .user:
                guard let user = request.userID else { continue }
                subject = "u:" + user
            case .userOrAddress: subject = request.userID.map { "u:" + $0 } ?? "a:" + request.clientAddress
            }
            let decision = await buckets.take(
                "\(rule.name):\(subject)",
                capacity: rule.limit,
                perSecond: Double(rule.limit) / Double(max(rule.seconds, 1))
            )
            guard !decision.allowed else { continue }
            return EdgeProblem.response(
                .tooManyRequests,
                "Too many requests for \(rule.name); try again in \(decision.retryAfter) s.",
                headers: [
                    .retryAfter: String(decision.retryAfter),
                    .rateLimitPolicy: "\"\(rule.name)\";q=\(rule.limit);w=\(rule.seconds)",
                    .rateLimit: "\"\(rule.name)\";r=\(decision.remaining);t=\(decision.retryAfter)",
                ]
            )
        }
        return nil
    }
}

/// Answers every request but the health check with 503 while maintenance is on.
public struct MaintenanceGuard: EdgeGuard {
    public let name = "maintenance"
    let isOn: @Sendable () -> Bool
    let retryAfter: Int

    public init(retryAfter: Int = 120, isOn: @escaping @Sendable () -> Bool) {
        self.isOn = isOn
        self.retryAfter = retryAfter
    }

    public func inspect(_ request: inout GuardedRequest) async -> Response? {
        guard isOn(), request.path != "/healthz" else { return nil }
        return EdgeProblem.response(
            .serviceUnavailable,
            "Down for maintenance; back shortly.",
            headers: [.retryAfter: String(retryAfter)]
        )
    }
}

extension HTTPField.Name {
    static let rateLimitPolicy = Self("RateLimit-Policy")!
    static let rateLimit = Self("RateLimit")!
}
