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

    /// The bucket's refill rate.
    var perSecond: Double { Double(limit) / Double(max(seconds, 1)) }

    func matches(_ request: GuardedRequest) -> Bool {
        // Byte-wise: a rule is asked on every request, and `hasPrefix` on characters costs more
        // than the rest of the check.
        (method == nil || method == request.method) && request.path.utf8.starts(with: pathPrefix.utf8)
    }
}

/// Token buckets per address, user and route: a request over its budget gets 429 with
/// `Retry-After` and the IETF `RateLimit-Policy` / `RateLimit` fields, at the edge.
public struct RateLimitGuard: EdgeGuard {
    public let name = "rate-limits"
    public let rules: [RateLimitRule]
    let buckets: any TokenBuckets
    /// The rules with what every request asks of them worked out once.
    private let compiled: [CompiledRule]

    public init(rules: [RateLimitRule], buckets: any TokenBuckets = LocalTokenBuckets()) {
        self.rules = rules
        self.buckets = buckets
        compiled = rules.map(CompiledRule.init)
    }

    public func inspect(_ request: inout GuardedRequest) async -> Response? {
        for rule in compiled where rule.matches(request) {
            guard let key = rule.bucketKey(request) else { continue }
            let decision = await buckets.take(key, capacity: rule.rule.limit, perSecond: rule.perSecond)
            if !decision.allowed { return Self.refusal(rule.rule, decision).response }
        }
        return nil
    }

    public func decidesWithoutWaiting(_ request: GuardedRequest) -> Bool { buckets.answersWithoutWaiting }

    public func inspectWithoutWaiting(_ request: inout GuardedRequest) -> GuardVerdict {
        for rule in compiled where rule.matches(request) {
            guard let key = rule.bucketKey(request) else { continue }
            guard let decision = buckets.takeWithoutWaiting(key, capacity: rule.rule.limit, perSecond: rule.perSecond)
            else { return .mustWait }
            if !decision.allowed { return .answer(Self.refusal(rule.rule, decision)) }
        }
        return .proceed
    }

    /// A rule as every request meets it: a class, so walking the rules copies no strings, and
    /// the bucket keys' prefixes made once.
    private final class CompiledRule: Sendable {
        let rule: RateLimitRule
        let perSecond: Double
        private let addressKey: String
        private let userKey: String
        /// `/` (or nothing): every request target starts with it, so the path is not read.
        private let everyPath: Bool

        init(_ rule: RateLimitRule) {
            self.rule = rule
            perSecond = rule.perSecond
            addressKey = "\(rule.name):a:"
            userKey = "\(rule.name):u:"
            everyPath = rule.pathPrefix.isEmpty || (rule.pathPrefix == "/")
        }

        func matches(_ request: GuardedRequest) -> Bool {
            guard everyPath else { return rule.matches(request) }
            return (rule.method == nil || rule.method == request.method)
                && request.target.utf8.first == UInt8(ascii: "/")
        }

        /// The bucket this rule charges for the request; `nil` for a per-user rule and an
        /// anonymous request.
        func bucketKey(_ request: GuardedRequest) -> String? {
            switch rule.scope {
            case .address: return addressKey + request.clientAddress
            case .user: return request.userID.map { userKey + $0 }
            case .userOrAddress: return request.userID.map { userKey + $0 } ?? addressKey + request.clientAddress
            }
        }
    }

    private static func refusal(_ rule: RateLimitRule, _ decision: BucketDecision) -> EdgeAnswer {
        EdgeProblem.answer(
            .tooManyRequests,
            "Too many requests for \(rule.name); try again in \(decision.retryAfter) s.",
            headers: [
                .retryAfter: String(decision.retryAfter),
                .rateLimitPolicy: "\"\(rule.name)\";q=\(rule.limit);w=\(rule.seconds)",
                .rateLimit: "\"\(rule.name)\";r=\(decision.remaining);t=\(decision.retryAfter)",
            ]
        )
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
        inspectWithoutWaiting(&request).response
    }

    public func decidesWithoutWaiting(_ request: GuardedRequest) -> Bool { true }

    public func inspectWithoutWaiting(_ request: inout GuardedRequest) -> GuardVerdict {
        guard isOn(), request.path != "/healthz" else { return .proceed }
        return .answer(
            EdgeProblem.answer(
                .serviceUnavailable,
                "Down for maintenance; back shortly.",
                headers: [.retryAfter: String(retryAfter)]
            )
        )
    }
}

extension HTTPField.Name {
    static let rateLimitPolicy = Self("RateLimit-Policy")!
    static let rateLimit = Self("RateLimit")!
}
