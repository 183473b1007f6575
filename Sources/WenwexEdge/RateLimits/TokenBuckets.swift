public import Logging
import NIOCore

/// The answer of one bucket to one request.
public struct BucketDecision: Sendable, Equatable {
    public var allowed: Bool
    /// Whole tokens left after this request.
    public var remaining: Int
    /// Seconds until a token is back (for `Retry-After` and `RateLimit`'s `t`).
    public var retryAfter: Int
}

/// Where token buckets live: on this node, or in Redis for limits shared by every node.
public protocol TokenBuckets: Sendable {
    /// Takes one token from `key`'s bucket (`capacity` tokens, refilled at `perSecond`).
    func take(_ key: String, capacity: Int, perSecond: Double) async -> BucketDecision
    /// Whether ``takeWithoutWaiting(_:capacity:perSecond:)`` answers: buckets in this process
    /// do, buckets across the network do not.
    var answersWithoutWaiting: Bool { get }
    /// ``take(_:capacity:perSecond:)`` without suspending, for buckets that can.
    func takeWithoutWaiting(_ key: String, capacity: Int, perSecond: Double) -> BucketDecision?
}

extension TokenBuckets {
    public var answersWithoutWaiting: Bool { false }
    public func takeWithoutWaiting(_ key: String, capacity: Int, perSecond: Double) -> BucketDecision? { nil }
}

/// Buckets in this process's memory: exact for one node, and free of network round trips.
///
/// Every event loop takes tokens on every request, so the buckets live in a
/// ``StripedDictionary`` and the work under its lock is one probe and a refill: on two cores a
/// single lock held across two hashes and the clock made the event loops wait for each other.
public final class LocalTokenBuckets: TokenBuckets {
    private struct Bucket {
        var tokens: Double
        /// Monotonic nanoseconds.
        var updated: UInt64
    }

    private let buckets = StripedDictionary<Bucket>()
    private let maximumKeysPerStripe: Int

    /// `maximumKeys` bounds memory: past it, buckets that have refilled completely are dropped
    /// (a full bucket and a missing one mean the same).
    public init(maximumKeys: Int = 1_000_000) {
        maximumKeysPerStripe = max(1, maximumKeys / buckets.stripeCount)
    }

    public func take(_ key: String, capacity: Int, perSecond: Double) async -> BucketDecision {
        takeNow(key, capacity: capacity, perSecond: perSecond)
    }

    public var answersWithoutWaiting: Bool { true }

    public func takeWithoutWaiting(_ key: String, capacity: Int, perSecond: Double) -> BucketDecision? {
        takeNow(key, capacity: capacity, perSecond: perSecond)
    }

    private func takeNow(_ key: String, capacity: Int, perSecond: Double) -> BucketDecision {
        let now = NIODeadline.now().uptimeNanoseconds
        let (allowed, tokens) = buckets.withStripe(holding: key) { stripe, key in
            if stripe.count >= maximumKeysPerStripe {
                let full = UInt64(Double(capacity) / perSecond * 1e9)
                stripe = stripe.filter { now &- min(now, $0.value.updated) < full }
            }
            return Self.take(
                &stripe[key, default: Bucket(tokens: Double(capacity), updated: now)],
                now,
                capacity,
                perSecond
            )
        }
        let missing = max(0, 1 - tokens)
        return BucketDecision(
            allowed: allowed,
            remaining: Int(tokens),
            retryAfter: allowed ? 0 : Int((missing / perSecond).rounded(.up))
        )
    }

    /// Refills `bucket` for the time since it was last used and takes a token if there is one.
    /// `now` was read before the lock, so another event loop may have stored a later time.
    private static func take(
        _ bucket: inout Bucket,
        _ now: UInt64,
        _ capacity: Int,
        _ perSecond: Double
    ) -> (allowed: Bool, tokens: Double) {
        let elapsed = Double(now &- min(now, bucket.updated)) / 1e9
        bucket.tokens = min(Double(capacity), bucket.tokens + elapsed * perSecond)
        bucket.updated = max(bucket.updated, now)
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        return (allowed, bucket.tokens)
    }
}

/// Buckets in Redis, shared by every edge node: one atomic script per request, timed by
/// Redis's own clock so the nodes' clocks never disagree about refills. When Redis cannot be
/// reached the node falls back to its local buckets rather than refusing or admitting everyone.
public final class RedisTokenBuckets: TokenBuckets {
    private let redis: RedisClient
    private let fallback = LocalTokenBuckets()
    private let prefix: String
    private let logger: Logger

    static let script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local capacity = tonumber(ARGV[1])
        local per_ms = tonumber(ARGV[2]) / 1000
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or capacity
        local at = tonumber(state[2]) or now
        tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
        local allowed = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / per_ms) + 1000)
        local wait = 0
        if allowed == 0 then wait = math.ceil((1 - tokens) / per_ms / 1000) end
        return {allowed, math.floor(tokens), wait}
        """

    public init(redis: RedisClient, prefix: String = "wenwex:ratelimit:", logger: Logger) {
        self.redis = redis
        self.prefix = prefix
        self.logger = logger
    }

    public func take(_ key: String, capacity: Int, perSecond: Double) async -> BucketDecision {
        do {
            let reply = try await redis.send([
                "EVAL", Self.script, "1", prefix + key, String(capacity), String(perSecond),
            ])
            guard case .array(let items?) = reply, items.count == 3, case .integer(let allowed) = items[0],
                case .integer(let remaining) = items[1], case .integer(let wait) = items[2]
            else { throw RedisError.protocolViolation("\(reply)") }
            return BucketDecision(allowed: allowed == 1, remaining: remaining, retryAfter: wait)
        } catch {
            logger.warning("Redis rate limit unavailable; using this node's buckets", metadata: ["error": "\(error)"])
            return await fallback.take(key, capacity: capacity, perSecond: perSecond)
        }
    }
}
