public import AsyncHTTPClient
public import Foundation
public import NIOCore
import NIOHTTP1

/// Posts each event as JSON to an edge node's purge API (`POST <endpoint>` with
/// `{"tags": [...], "paths": [...], "reason": ..., "at": ...}`), authenticated with a bearer
/// token the edge nodes share with the origin.
public struct HTTPPurgeSink: PurgeSink {
    /// The purge API's URL; each event is one `POST` to it.
    public let endpoint: URL
    private let token: String?
    private let client: HTTPClient
    private let timeout: TimeAmount

    /// The purge API refused or failed the request.
    public struct Refused: Error, Sendable, CustomStringConvertible {
        /// The URL that answered.
        public var endpoint: String
        /// The HTTP status it answered with, outside 200..<300.
        public var status: UInt
        /// Names the endpoint and the status, never the token.
        public var description: String { "the purge endpoint \(endpoint) answered \(status)" }
    }

    /// `token`, when set, is sent as `Authorization: Bearer`; `timeout` bounds each request
    /// (default 5 seconds).
    public init(endpoint: URL, token: String?, client: HTTPClient = .shared, timeout: TimeAmount = .seconds(5)) {
        self.endpoint = endpoint
        self.token = token
        self.client = client
        self.timeout = timeout
    }

    /// Throws ``Refused`` for an answer outside 2xx, or the client's error when the endpoint cannot
    /// be reached; ``PurgePublisher`` retries both.
    public func deliver(_ event: PurgeEvent) async throws {
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        request.body = .bytes(ByteBuffer(bytes: try encoder.encode(event)))
        try await Self.send(request, client: client, timeout: timeout)
    }

    /// Sends one purge request and drains its answer (so the connection goes back to the pool);
    /// throws ``Refused`` for a status outside 2xx. Every HTTP purge sink sends through it.
    static func send(_ request: HTTPClientRequest, client: HTTPClient, timeout: TimeAmount) async throws {
        let response = try await client.execute(request, timeout: timeout)
        _ = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw Refused(endpoint: request.url, status: response.status.code)
        }
    }
}
