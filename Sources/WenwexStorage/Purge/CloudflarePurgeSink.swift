public import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

/// Cloudflare's purge API (`POST /client/v4/zones/<zone>/purge_cache`, bearer API token):
/// one request with the event's tags, one with its paths as absolute URLs of `site`, in batches
/// of 30 as the API takes them.
public struct CloudflarePurgeSink: PurgeSink {
    /// The zone's ID (not its domain name), as the purge API's path names it.
    public let zone: String
    /// The public site whose URLs Cloudflare caches (`https://shop.example.com`).
    public let site: URL
    private let token: String
    private let api: URL
    private let client: HTTPClient

    /// `api` defaults to Cloudflare's; tests point it at loopback.
    public init(
        zone: String,
        token: String,
        site: URL,
        api: URL = URL(string: "https://api.cloudflare.com")!,
        client: HTTPClient = .shared
    ) {
        self.zone = zone
        self.token = token
        self.site = site
        self.api = api
        self.client = client
    }

    /// Sends the batches in order, 10 seconds each; the first refusal throws
    /// ``HTTPPurgeSink/Refused`` and skips the rest, so the publisher's retry sends them all again.
    public func deliver(_ event: PurgeEvent) async throws {
        for request in requests(for: event) {
            try await HTTPPurgeSink.send(request, client: client, timeout: .seconds(10))
        }
    }

    func requests(for event: PurgeEvent) -> [HTTPClientRequest] {
        var base = site.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let bodies =
            stride(from: 0, to: event.tags.count, by: 30).map {
                ["tags": Array(event.tags[$0..<min($0 + 30, event.tags.count)])]
            }
            + stride(from: 0, to: event.paths.count, by: 30).map {
                ["files": event.paths[$0..<min($0 + 30, event.paths.count)].map { base + $0 }]
            }
        return bodies.map { body in
            var request = HTTPClientRequest(
                url: api.appendingPathComponent("client/v4/zones/\(zone)/purge_cache").absoluteString
            )
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            request.body = .bytes(ByteBuffer(bytes: (try? encoder.encode(body)) ?? Data()))
            return request
        }
    }
}
