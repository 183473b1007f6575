public import Foundation

/// How one edge node runs: its origin, its cache's size, and its purge API.
public struct EdgeConfiguration: Sendable {
    /// The origin every request goes to (`http://127.0.0.1:8080`).
    public var origin: URL
    /// The memory tier's bound in bytes (default 256 MiB).
    public var cacheBytes: Int = 256 << 20
    /// Responses larger than this stream through uncached (default an eighth of `cacheBytes`).
    public var maximumObjectSize: Int?
    /// The optional disk tier behind the memory tier (`wenwex edge --disk-cache DIR`): what
    /// memory evicts, and what was stored before a restart, is read from there, not the origin.
    public var diskTier: DiskCache?
    /// The bearer token the purge API requires; without one, purging is refused.
    public var purgeToken: String?
    /// Where the purge API listens (`POST`).
    public var purgePath = "/_wenwex/purge"

    /// Whether a request target is the purge API: its path, with or without a query.
    func isPurge(_ target: String) -> Bool {
        guard target.hasPrefix(purgePath) else { return false }
        let rest = target.utf8.dropFirst(purgePath.utf8.count)
        return rest.first.map { $0 == UInt8(ascii: "?") } ?? true
    }
    /// How long past its lifetime a response may be served while the origin cannot be reached
    /// (RFC 9111 lets a disconnected cache serve stale unless the response forbids it).
    public var staleIfUnreachableSeconds: Double = 86_400
    /// Request bodies are read whole before they are forwarded; larger ones get 413.
    public var maximumRequestBodySize = 32 << 20
    /// Keep-alive connections to the origin.
    public var originConnections = 64
    /// One exchange with the origin, at most.
    public var originTimeoutSeconds = 30
    /// A client connection with nothing read and nothing being answered for this long is
    /// closed: nginx's `keepalive_timeout` is 75 s as well.
    public var clientIdleTimeoutSeconds: Double = 75
    /// This node's name in `Via`.
    public var nodeName = "wenwex-edge"

    public init(origin: URL) {
        self.origin = origin
    }
}
