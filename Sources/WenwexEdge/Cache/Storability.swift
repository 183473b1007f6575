public import HTTPTypes
import Hummingbird

/// Whether a shared cache may store a response (RFC 9111 §3, and §3.3 for a `206` part), with
/// the edge's extra rule that a response setting a cookie is stored only when the origin marked
/// it `public`.
public enum Storability {
    public static func mayStore(
        method: HTTPRequest.Method,
        requestHeaders: HTTPFields,
        status: HTTPResponse.Status,
        responseHeaders: HTTPFields
    ) -> Bool {
        guard method == .get, status.code >= 200, status.code != 304 else { return false }
        // A part is kept only when it says which bytes of how many it holds (`bytes 4-9/10`).
        if status == .partialContent, ContentRange(header: responseHeaders[.contentRange]) == nil { return false }
        let policy = FreshnessPolicy(headers: responseHeaders, status: status)
        let directives = policy.directives
        if CacheDirectives(requestHeaders[values: .cacheControl]).has("no-store") { return false }
        // must-understand (RFC 9111 §5.2.2.3): a cache that knows the status code may store
        // despite no-store; every status this cache stores is one it implements.
        let understood =
            directives.has("must-understand")
            && [200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501].contains(status.code)
        if (directives.has("no-store") && !understood) || directives.has("private") { return false }
        if requestHeaders[.authorization] != nil,
            !(directives.has("must-revalidate") || directives.has("public") || directives.has("s-maxage"))
        {
            return false
        }
        if responseHeaders[.setCookie] != nil, !directives.has("public") { return false }
        if varyNames(responseHeaders).contains("*") { return false }
        return policy.hasExplicitLifetime || directives.has("public") || directives.has("no-cache")
            || FreshnessPolicy.heuristicallyCacheable.contains(status.code)
    }

    /// The field names a response varies on, lower-cased.
    public static func varyNames(_ headers: HTTPFields) -> [String] {
        headers[values: .vary].flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces.lowercased() }
            .filter { !$0.isEmpty }
    }

    /// The `Surrogate-Key` (space-separated) and `Cache-Tag` (comma-separated) tags of a response.
    public static func tags(_ headers: HTTPFields) -> [String] {
        let surrogate = headers[values: .surrogateKey].flatMap { $0.split(separator: " ") }
        let cacheTag = headers[values: .cacheTag].flatMap { $0.split(separator: ",") }
        return (surrogate + cacheTag).map { $0.trimmingSpaces }.filter { !$0.isEmpty }
    }
}
