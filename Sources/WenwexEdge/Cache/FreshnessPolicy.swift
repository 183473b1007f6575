public import HTTPTypes
import Hummingbird

/// What a response's headers say about caching it: RFC 9111 for a shared cache, with
/// `CDN-Cache-Control` (RFC 9213) taking the place of `Cache-Control` when the origin sent it.
public struct FreshnessPolicy: Sendable {
    /// The directives in force: `CDN-Cache-Control` when present and valid, else `Cache-Control`.
    public let directives: CacheDirectives
    /// Whether the response carries its own lifetime (`s-maxage`, `max-age` or `Expires`).
    public let hasExplicitLifetime: Bool
    /// The freshness lifetime in seconds (RFC 9111 §4.2.1), heuristic (10 % of the time since
    /// `Last-Modified`, at most a day) when the response has none of its own.
    public let lifetime: Double
    /// `no-cache` (with or without field names): stored, but revalidated before every use.
    public let requiresRevalidation: Bool
    /// `must-revalidate`, `proxy-revalidate`, `s-maxage` or `no-cache`: never served stale.
    public let forbidsStale: Bool
    /// Seconds past its lifetime the response may be served while it is refreshed.
    public let staleWhileRevalidate: Double
    /// Seconds past its lifetime the response may be served when the origin fails.
    public let staleIfError: Double

    /// Status codes a cache may give a heuristic lifetime (RFC 9110 §15.1).
    static let heuristicallyCacheable: Set<Int> = [200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]

    /// Reads everything once: a cache hit only compares numbers.
    public init(headers: HTTPFields, status: HTTPResponse.Status) {
        let cacheControl = CacheDirectives(headers[values: .cacheControl])
        // RFC 9213 §2.1: the targeted field is a Structured Fields dictionary; one that does not
        // parse, or gives a lifetime that is not an integer, is ignored as a whole.
        let targetedLines = headers[values: .cdnCacheControl]
        let targeted = CacheDirectives(targetedLines)
        let usesTargeted = !targeted.isEmpty && Self.isValidTargetedField(targetedLines)
        let directives = usesTargeted ? targeted : cacheControl
        self.directives = directives
        hasExplicitLifetime =
            directives.has("s-maxage") || directives.has("max-age") || (!usesTargeted && headers[.expires] != nil)
        let date = headers[.date].flatMap(HTTPDate.parse) ?? HTTPDate.now
        if let shared = directives.seconds("s-maxage") {
            lifetime = Double(shared)
        } else if let maxAge = directives.seconds("max-age") {
            lifetime = Double(maxAge)
        } else if !usesTargeted, let expiresText = headers[.expires] {
            lifetime = HTTPDate.parse(expiresText).map { max(0, $0 - date) } ?? 0
        } else if Self.heuristicallyCacheable.contains(status.code) || directives.has("public"),
            let modified = headers[.lastModified].flatMap(HTTPDate.parse)
        {
            lifetime = min(max(0, (date - modified) / 10), 86_400)
        } else {
            lifetime = 0
        }
        requiresRevalidation = directives.has("no-cache")
        forbidsStale =
            directives.has("must-revalidate") || directives.has("proxy-revalidate") || directives.has("s-maxage")
            || requiresRevalidation
        staleWhileRevalidate = Double(directives.seconds("stale-while-revalidate") ?? 0)
        staleIfError = Double(directives.seconds("stale-if-error") ?? 0)
    }

    /// Whether `CDN-Cache-Control` parses as an RFC 8941 dictionary whose delta-seconds
    /// members are integers.
    static func isValidTargetedField(_ lines: [String]) -> Bool {
        let keyStart = Set("abcdefghijklmnopqrstuvwxyz*")
        let keyRest = keyStart.union("0123456789_-.")
        let integerMembers: Set<String> = ["max-age", "s-maxage", "stale-while-revalidate", "stale-if-error"]
        for member in lines.joined(separator: ",").split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = member.trimmingSpaces
            guard !trimmed.isEmpty else { return false }
            let parts = trimmed.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0].split(separator: ";", maxSplits: 1)[0])
            guard let first = key.first, keyStart.contains(first), key.allSatisfy(keyRest.contains) else {
                return false
            }
            guard parts.count == 2 else { continue }
            let value = String(parts[1].split(separator: ";", maxSplits: 1).first ?? "")
            if integerMembers.contains(key) {
                guard
                    CacheDirectives.deltaSeconds(value) != nil
                        || (value.hasPrefix("-") && CacheDirectives.deltaSeconds(String(value.dropFirst())) != nil)
                else { return false }
            } else if value.isEmpty {
                return false
            }
        }
        return true
    }

    /// The `Age` field's value when it is a valid delta-seconds (the first one, when repeated).
    static func ageValue(_ headers: HTTPFields) -> Int? {
        guard let first = headers[values: .age].first else { return nil }
        let member = first.split(separator: ",", omittingEmptySubsequences: false).first.map { $0.trimmingSpaces }
        return CacheDirectives.deltaSeconds(member)
    }
}

extension HTTPField.Name {
    static let cdnCacheControl = Self("CDN-Cache-Control")!
    static let surrogateKey = Self("Surrogate-Key")!
    static let cacheTag = Self("Cache-Tag")!
    static let surrogateControl = Self("Surrogate-Control")!
}
