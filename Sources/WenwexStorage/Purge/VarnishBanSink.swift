public import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

/// Sends each event to a Varnish server as one HTTP `BAN` request: `X-Ban-Tags` carries a regular
/// expression matching any of the event's tags in `Surrogate-Key`, `X-Ban-Paths` one matching
/// its paths. Varnish's VCL turns them into bans its ban lurker applies:
///
/// ```vcl
/// sub vcl_recv {
///   if (req.method == "BAN") {
///     if (client.ip !~ purgers) { return (synth(403)); }
///     if (req.http.X-Ban-Tags) { ban("obj.http.Surrogate-Key ~ " + req.http.X-Ban-Tags); }
///     if (req.http.X-Ban-Paths) { ban("obj.http.X-Url ~ " + req.http.X-Ban-Paths); }
///     return (synth(200, "Banned"));
///   }
/// }
/// sub vcl_backend_response { set beresp.http.X-Url = bereq.url; }
/// sub vcl_deliver { unset resp.http.X-Url; }
/// ```
public struct VarnishBanSink: PurgeSink {
    /// The Varnish listener that accepts `BAN` (`http://varnish:6081/`).
    public let endpoint: URL
    private let client: HTTPClient

    /// Nothing is sent until the first event; Varnish must accept `BAN` from this host (the VCL's
    /// `purgers` ACL), or every delivery is refused with 403.
    public init(endpoint: URL, client: HTTPClient = .shared) {
        self.endpoint = endpoint
        self.client = client
    }

    /// One `BAN` carrying both headers, 5 seconds at most; an answer outside 2xx throws
    /// ``HTTPPurgeSink/Refused`` for the publisher to retry.
    public func deliver(_ event: PurgeEvent) async throws {
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .RAW(value: "BAN")
        for (name, value) in Self.headers(for: event) { request.headers.add(name: name, value: value) }
        try await HTTPPurgeSink.send(request, client: client, timeout: .seconds(5))
    }

    /// The ban headers: whole tags within the space-separated `Surrogate-Key`, exact paths.
    static func headers(for event: PurgeEvent) -> [(String, String)] {
        var headers: [(String, String)] = []
        if !event.tags.isEmpty {
            headers.append(
                ("X-Ban-Tags", "(^|\\s)(" + event.tags.map(regexEscaped).joined(separator: "|") + ")(\\s|$)")
            )
        }
        if !event.paths.isEmpty {
            headers.append(("X-Ban-Paths", "^(" + event.paths.map(regexEscaped).joined(separator: "|") + ")$"))
        }
        return headers
    }

    static func regexEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\^$.|?*+()[]{}".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
