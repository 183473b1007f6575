public import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

/// Fastly's purge API: tags through `POST /service/<id>/purge` with the keys in
/// `Surrogate-Key` (space-separated, up to 256 per request), paths through
/// `POST /purge/<host><path>`, each authenticated with `Fastly-Key`.
public struct FastlyPurgeSink: PurgeSink {
    /// The service whose tags are purged (`/service/<id>/purge`); path purges name ``host`` instead.
    public let service: String
    /// The public host Fastly serves (`shop.example.com`).
    public let host: String
    private let token: String
    private let api: URL
    private let client: HTTPClient

    /// `token` is sent as `Fastly-Key` (an API token with the `purge_select` scope is enough);
    /// `api` defaults to Fastly's, tests point it at loopback.
    public init(
        service: String,
        token: String,
        host: String,
        api: URL = URL(string: "https://api.fastly.com")!,
        client: HTTPClient = .shared
    ) {
        self.service = service
        self.token = token
        self.host = host
        self.api = api
        self.client = client
    }

    /// One request per 256 tags, then one per path, 10 seconds each; the first refusal throws
    /// ``HTTPPurgeSink/Refused`` and skips the rest, so the publisher's retry sends them all again.
    public func deliver(_ event: PurgeEvent) async throws {
        for request in requests(for: event) {
            try await HTTPPurgeSink.send(request, client: client, timeout: .seconds(10))
        }
    }

    func requests(for event: PurgeEvent) -> [HTTPClientRequest] {
        var requests: [HTTPClientRequest] = []
        for start in stride(from: 0, to: event.tags.count, by: 256) {
            var request = HTTPClientRequest(url: api.appendingPathComponent("service/\(service)/purge").absoluteString)
            request.method = .POST
            request.headers.add(name: "Fastly-Key", value: token)
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(
                name: "Surrogate-Key",
                value: event.tags[start..<min(start + 256, event.tags.count)].joined(separator: " ")
            )
            requests.append(request)
        }
        for path in event.paths {
            var base = api.absoluteString
            while base.hasSuffix("/") { base.removeLast() }
            var request = HTTPClientRequest(url: base + "/purge/" + host + (path.hasPrefix("/") ? path : "/" + path))
            request.method = .POST
            request.headers.add(name: "Fastly-Key", value: token)
            request.headers.add(name: "Accept", value: "application/json")
            requests.append(request)
        }
        return requests
    }
}
