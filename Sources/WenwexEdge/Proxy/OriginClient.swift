public import AsyncHTTPClient
public import Foundation
public import HTTPTypes
public import Hummingbird
import NIOCore
import NIOHTTP1

/// The pooled upstream to the origin: one `HTTPClient` with keep-alive connections, no
/// redirects followed and no decompression, so the origin's bytes and headers reach the client
/// as the origin sent them.
public final class OriginClient: Sendable {
    /// The origin's base URL (`http://127.0.0.1:8080`); request targets are appended to it.
    public let origin: URL
    private let base: String
    let client: HTTPClient
    private let timeout: TimeAmount

    /// `connections` bounds the pool per origin; `timeout` bounds one whole exchange.
    public init(origin: URL, connections: Int = 64, timeout: TimeAmount = .seconds(30)) {
        self.origin = origin
        var base = origin.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        self.timeout = timeout
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: timeout),
            decompression: .disabled
        )
        // Idle connections close before a typical origin's keep-alive timeout (Node's is 5 s), so
        // a request never races the origin closing the connection it was about to reuse.
        configuration.connectionPool = .init(
            idleTimeout: .seconds(4),
            concurrentHTTP1ConnectionsPerHostSoftLimit: connections
        )
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// One exchange with the origin: `target` is the request's path and query.
    public func send(
        method: HTTPRequest.Method,
        target: String,
        headers: HTTPFields,
        body: HTTPClientRequest.Body? = nil
    ) async throws -> OriginResponse {
        var request = HTTPClientRequest(url: base + (target.hasPrefix("/") ? target : "/" + target))
        // swift-nio-extras turns NIO's parsed `M-SEARCH` into an HTTPTypes method spelled
        // `MSEARCH`; the origin must see the method the client sent.
        request.method = HTTPMethod(rawValue: method.rawValue == "MSEARCH" ? "M-SEARCH" : method.rawValue)
        for field in headers where field.name.canonicalName != "host" && field.name != .contentLength {
            request.headers.add(name: field.name.rawName, value: field.value)
        }
        if let body { request.body = body }
        let sent = HTTPDate.now
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch let error as HTTPClientError where body == nil && Self.retriable(error) {
            // A reused connection the origin had just closed: a request without a body is safe
            // to send once more on a fresh one.
            response = try await client.execute(request, timeout: timeout)
        }
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return OriginResponse(
            status: HTTPResponse.Status(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase),
            headers: HopByHop.removing(from: fields),
            body: response.body,
            requestTime: sent,
            responseTime: HTTPDate.now
        )
    }

    static func retriable(_ error: HTTPClientError) -> Bool {
        error == .remoteConnectionClosed
    }

    /// Closes the pool's connections.
    public func shutdown() async throws {
        try await client.shutdown()
    }
}

/// The origin's answer, its body not yet read.
public struct OriginResponse: Sendable {
    public var status: HTTPResponse.Status
    /// Without hop-by-hop fields.
    public var headers: HTTPFields
    public var body: HTTPClientResponse.Body
    public var requestTime: Double
    public var responseTime: Double

    /// What reading the body up to `limit` bytes found.
    public enum Collected: Sendable {
        /// All of it.
        case complete(ByteBuffer)
        /// More than `limit`: what was read, and the rest still to stream.
        case tooLarge(ByteBuffer, RemainingBody)
    }

    /// Reads the body whole when it fits in `limit`, else stops at the limit.
    public func collect(upTo limit: Int) async throws -> Collected {
        var iterator = body.makeAsyncIterator()
        var buffer = ByteBuffer()
        while let chunk = try await iterator.next() {
            var chunk = chunk
            buffer.writeBuffer(&chunk)
            if buffer.readableBytes > limit {
                return .tooLarge(buffer, RemainingBody(iterator))
            }
        }
        return .complete(buffer)
    }
}

/// The unread rest of an origin body, handed to exactly one writer.
public final class RemainingBody: @unchecked Sendable {
    // One writer reads it once, after the collector stopped: never concurrently.
    private var iterator: HTTPClientResponse.Body.AsyncIterator

    init(_ iterator: HTTPClientResponse.Body.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> ByteBuffer? {
        try await iterator.next()
    }
}
