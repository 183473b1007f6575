public import HTTPTypes
public import Hummingbird

/// What a response's headers say about caching it: RFC 9111 for a shared cache, with
/// `CDN-Cache-Control` (RFC 9213) taking the place of `Cache-Control` when the origin sent it.
public struct FreshnessPolicy: Sendable {
    /// The directives in force: `CDN-Cache-Control` when present and valid, else `Cache-Control`.
    public let directives: CacheDirectives
    /// `Cache-Control` itself: `private`, `no-store` and `public` still apply from it.
    public let cacheControl: CacheDirectives
    private let headers: HTTPFields
    private let status: HTTPResponse.Status

    /// Status codes a cache may give a heuristic lifetime (RFC 9110 §15.1).
    static let heuristicallyCacheable: Set<Int> = [200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]

    public init(headers: HTTPFields, status: HTTPResponse.Status) {
        self.headers = headers
        self.status = status
        cacheControl = CacheDirectives(headers[values: .cacheControl])
        // RFC 9213 §2.1: the targeted field is a Structured Fields dictionary; one that does not
        // parse, or gives a lifetime that is not an integer, is ignored as a whole.
        let targetedLines = headers[values: .cdnCacheControl]
        let targeted = CacheDirectives(targetedLines)
        directives = targeted.isEmpty || !Self.isValidTargetedField(targetedLines) ? cacheControl : targeted
    }

    /// Whether the response carries its own lifetime (`s-maxage`, `max-age` or `Expires`).
    public var hasExplicitLifetime: Bool {
        directives.has("s-maxage") || directives.has("max-age") || (directives == cacheControl && headers[.expires] != nil)
    }

    /// The freshness lifetime in seconds (RFC 9111 §4.2.1), heuristic (10 % of the time since
    /// `Last-Modified`, at most a day) when the response has none of its own.
    public var lifetime: Double {
        if let shared = directives.seconds("s-maxage") { return Double(shared) }
        if let maxAge = directives.seconds("max-age") { return Double(maxAge) }
        if directives == cacheControl, let expiresText = headers[.expires] {
            guard let expires = HTTPDate.parse(expiresText) else { return 0 }
            let date = headers[.date].flatMap(HTTPDate.parse) ?? HTTPDate.now
            return max(0, expires - date)
        }
        guard Self.heuristicallyCacheable.contains(status.code) || directives.has("public") else { return 0 }
        guard let modified = headers[.lastModified].flatMap(HTTPDate.parse) else { return 0 }
        let date = headers[.date].flatMap(HTTPDate.parse) ?? HTTPDate.now
        return min(max(0, (date - modified) / 10), 86_400)
    }

    /// `no-cache` (with or without field names): stored, but revalidated before every use.
    public var requiresRevalidation: Bool { directives.has("no-cache") }

    /// `must-revalidate`, `proxy-revalidate` or `s-maxage`: never served stale.
    public var forbidsStale: Bool {
        directives.has("must-revalidate") || directives.has("proxy-revalidate") || directives.has("s-maxage")
            || requiresRevalidation
    }

    /// Seconds past its lifetime the response may be served while it is refreshed.
    public var staleWhileRevalidate: Double { Double(directives.seconds("stale-while-revalidate") ?? 0) }
    /// Seconds past its lifetime the response may be served when the origin fails.
    public var staleIfError: Double { Double(directives.seconds("stale-if-error") ?? 0) }

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
            guard let first = key.first, keyStart.contains(first), key.allSatisfy(keyRest.contains) else { return false }
            guard parts.count == 2 else { continue }
            let value = String(parts[1].split(separator: ";", maxSplits: 1).first ?? "")
            if integerMembers.contains(key) {
                guard CacheDirectives.deltaSeconds(value) != nil || (value.hasPrefix("-") && CacheDirectives.deltaSeconds(String(value.dropFirst())) != nil)
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
