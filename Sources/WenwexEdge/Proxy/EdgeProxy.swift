import AsyncHTTPClient
import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
import NIOCore
import Synchronization

/// The edge node's request handling: guards first, then the shared cache, then the origin.
///
/// GET and HEAD go through the cache (RFC 9111): fresh entries are answered from memory,
/// stale ones revalidated with the stored validators, served stale while revalidating or when
/// the origin fails where the response allows it, and a cold key is fetched once however many
/// clients ask. Every other method is passed through (its request body read whole first, its
/// response streamed), and a successful one invalidates what it changed.
public final class EdgeProxy: HTTPResponder, Sendable {
    public typealias Context = EdgeRequestContext

    public let cache: MemoryCache
    public let origin: OriginClient
    let configuration: EdgeConfiguration
    let guards: GuardPipeline
    let purge: PurgeEndpoint
    private let coalescer = FetchCoalescer()
    private let refreshing = Mutex<Set<String>>([])
    private let fetches = Atomic<Int>(0)
    let logger: Logger
    /// `Date` for the answers that lack one.
    let dates = DateHeader()
    /// Requests whose guards already ran on the event loop, for the responder to take up.
    let guardedHandoff = GuardedHandoff()

    public init(configuration: EdgeConfiguration, guards: GuardPipeline, logger: Logger) {
        self.configuration = configuration
        self.guards = guards
        self.logger = logger
        cache = MemoryCache(
            capacity: configuration.cacheBytes,
            maximumObjectSize: configuration.maximumObjectSize,
            lowerTier: configuration.diskTier
        )
        origin = OriginClient(
            origin: configuration.origin,
            connections: configuration.originConnections,
            timeout: .seconds(Int64(configuration.originTimeoutSeconds))
        )
        purge = PurgeEndpoint(token: configuration.purgeToken)
    }

    /// Requests sent to the origin so far (misses, revalidations and passes).
    public var originRequests: Int { fetches.load(ordering: .relaxed) }

    /// Requests answered on the event loop so far (fresh hits and guard refusals).
    public var answeredOnEventLoop: Int { eventLoopAnswers.load(ordering: .relaxed) }
    let eventLoopAnswers = Atomic<Int>(0)

    public func respond(to request: Request, context: EdgeRequestContext) async throws -> Response {
        let target = request.head.path ?? "/"
        if configuration.isPurge(target) {
            return await purge.handle(request, cache: cache)
        }
        var guarded: GuardedRequest
        if let ran = guardedHandoff.take(context.connection) {
            // The guards let it on already, on the event loop; it was not a fresh hit.
            guarded = ran
        } else {
            guarded = GuardedRequest(
                method: request.method,
                target: target,
                headers: request.headers,
                clientAddress: context.clientAddress
            )
            if let answer = await guards.run(&guarded) { return answer }
        }
        // Built only when the request goes to the origin: a hit never pays for it.
        let forward = Forwarding(
            client: guarded.headers,
            address: context.clientAddress,
            host: request.head.authority,
            via: configuration.nodeName,
            identity: guarded.identitySigner.flatMap { signer in guarded.userID.map { (signer, $0) } }
        )
        switch request.method {
        case .get, .head:
            return try await cached(request.method, target, client: guarded.headers, forward: forward)
        default:
            return try await pass(request, target, forward: forward, invalidating: true)
        }
    }

    // MARK: The cache

    private func cached(_ method: HTTPRequest.Method, _ target: String, client: HTTPFields, forward: Forwarding)
        async throws -> Response
    {
        let requestDirectives = CacheDirectives(client[values: .cacheControl])
        let pragmaNoCache =
            requestDirectives.isEmpty && client[values: .pragma].contains { $0.lowercased().contains("no-cache") }
        let revalidateAnyway = requestDirectives.has("no-cache") || pragmaNoCache
        let now = HTTPDate.now
        // A stored part that does not hold the requested bytes is a miss (the answer may
        // complete it).
        let found = await cache.lookupThroughTiers(target, requestHeaders: client)
        guard let stored = found, stored.serves(method, client) else {
            if requestDirectives.has("only-if-cached") {
                return EdgeProblem.response(.gatewayTimeout, "Not in the cache, and the request said only-if-cached.")
            }
            return try await miss(method, target, client: client, forward: forward)
        }
        let policy = stored.policy
        let age = stored.currentAge(at: now)
        let lifetime = policy.lifetime
        var fresh = age < lifetime && !policy.requiresRevalidation
        if let maxAge = requestDirectives.seconds("max-age"), age > Double(maxAge) { fresh = false }
        if let minFresh = requestDirectives.seconds("min-fresh"), lifetime - age < Double(minFresh) { fresh = false }
        if fresh && !revalidateAnyway {
            return StoredAnswer.response(stored, age: age, method: method, request: client)
        }
        if !revalidateAnyway && !policy.forbidsStale {
            if let maxStale = requestDirectives.entries.first(where: { $0.name == "max-stale" }) {
                let allowed = maxStale.value.flatMap { CacheDirectives.deltaSeconds($0) }.map(Double.init) ?? .infinity
                if age - lifetime <= allowed {
                    return StoredAnswer.response(stored, age: age, method: method, request: client)
                }
            }
            if age < lifetime + policy.staleWhileRevalidate {
                refreshInBackground(target, stored, forward: forward, client: client)
                return StoredAnswer.response(stored, age: age, method: method, request: client)
            }
        }
        if requestDirectives.has("only-if-cached") {
            return EdgeProblem.response(
                .gatewayTimeout,
                "Only a stale copy is cached, and the request said only-if-cached."
            )
        }
        return try await revalidate(stored, method, target, client: client, forward: forward)
    }

    private func miss(_ method: HTTPRequest.Method, _ target: String, client: HTTPFields, forward: Forwarding)
        async throws -> Response
    {
        if method == .head {
            // A HEAD has no body to store: ask as it was asked.
            return try await passThrough(.head, target, headers: forward.headers, body: nil)
        }
        // A range goes to the origin as it was asked: a large object is not fetched whole for a
        // few bytes of it, and the part that comes back is stored (RFC 9111 §3.3). Without a
        // range the whole object is fetched, stored, and answered from.
        var fetchHeaders = Self.withoutConditionals(forward.headers)
        let range = client[.range]
        if let range {
            fetchHeaders[.range] = range
            fetchHeaders[.ifRange] = client[.ifRange]
        }
        if client[.authorization] == nil, range == nil {
            if let answer = try await coalescer.lead(
                target,
                {
                    try await fetchAndStore(target, fetchHeaders, client: client, method: method)
                }
            ) {
                return answer
            }
            if let stored = await cache.lookupThroughTiers(target, requestHeaders: client),
                stored.serves(method, client)
            {
                return StoredAnswer.response(
                    stored,
                    age: stored.currentAge(at: HTTPDate.now),
                    method: method,
                    request: client
                )
            }
        }
        return try await fetchAndStore(target, fetchHeaders, client: client, method: method)
    }

    private func fetchAndStore(_ target: String, _ headers: HTTPFields, client: HTTPFields, method: HTTPRequest.Method)
        async throws -> Response
    {
        let response: OriginResponse
        do {
            response = try await send(.get, target, headers: headers, body: nil)
        } catch {
            return originUnreachable(error)
        }
        return try await storeOrStream(response, target, client: client, method: method)
    }

    /// Stores a storable response whole and answers from it; streams anything else through.
    private func storeOrStream(
        _ response: OriginResponse,
        _ target: String,
        client: HTTPFields,
        method: HTTPRequest.Method
    )
        async throws -> Response
    {
        let storable = Storability.mayStore(
            method: .get,
            requestHeaders: client,
            status: response.status,
            responseHeaders: response.headers
        )
        let declaredLength = response.headers[.contentLength].flatMap { Int($0) }
        guard storable, (declaredLength ?? 0) <= cache.maximumObjectSize else {
            // A part the cache cannot keep leaves the stored whole in place.
            if !storable, response.status != .partialContent { cache.remove(target: target) }
            return streamed(response, method: method)
        }
        switch try await response.collect(upTo: cache.maximumObjectSize) {
        case .complete(let body) where response.status == .partialContent:
            storePart(response, body: body, target, client: client)
            // The part as the origin sent it: it answered this very range.
            return Response(status: response.status, headers: response.headers, body: ResponseBody(byteBuffer: body))
        case .complete(let body):
            let stored = Self.entry(
                response,
                status: response.status,
                headers: response.headers,
                body: body,
                client: client
            )
            cache.store(stored, for: target)
            return StoredAnswer.response(
                stored,
                age: stored.currentAge(at: HTTPDate.now),
                method: method,
                request: client
            )
        case .tooLarge(let prefix, let rest):
            var headers = response.headers
            headers[.contentLength] = declaredLength.map(String.init)
            return Response(
                status: response.status,
                headers: headers,
                body: ResponseBody(contentLength: declaredLength) { writer in
                    try await writer.write(prefix)
                    while let chunk = try await rest.next() { try await writer.write(chunk) }
                    try await writer.finish(nil)
                }
            )
        }
    }

    /// Keeps a `206` part, joined with the part already stored when they overlap or touch and
    /// describe the same representation (RFC 9111 §3.4: the same strong validator, or neither
    /// has one and their `Last-Modified` agree); a part that completes the representation is
    /// stored as a whole `200`.
    private func storePart(_ response: OriginResponse, body: ByteBuffer, _ target: String, client: HTTPFields) {
        guard let received = ContentRange(header: response.headers[.contentRange]), received.count == body.readableBytes
        else { return }
        var range = received
        var bytes = body
        if let stored = cache.lookup(target, requestHeaders: client), let held = stored.contentRange,
            Self.sameRepresentation(stored.headers, response.headers), let joined = held.union(received)
        {
            var combined = ByteBufferAllocator().buffer(capacity: joined.count)
            if held.first < received.first {
                combined.writeImmutableBuffer(
                    stored.body.getSlice(at: stored.body.readerIndex, length: received.first - held.first)!
                )
            }
            combined.writeImmutableBuffer(body)
            if held.last > received.last {
                let from = received.last + 1 - held.first
                combined.writeImmutableBuffer(
                    stored.body.getSlice(at: stored.body.readerIndex + from, length: held.last - received.last)!
                )
            }
            range = joined
            bytes = combined
        }
        var headers = response.headers
        var status = HTTPResponse.Status.partialContent
        if range.isComplete {
            status = .ok
            headers[.contentRange] = nil
        } else {
            headers[.contentRange] = range.header
        }
        headers[.contentLength] = String(range.count)
        cache.store(Self.entry(response, status: status, headers: headers, body: bytes, client: client), for: target)
    }

    /// The cache entry for what the origin answered `client` with: its clock readings, the
    /// request's values for the fields it varies on, and its purge tags.
    private static func entry(
        _ response: OriginResponse,
        status: HTTPResponse.Status,
        headers: HTTPFields,
        body: ByteBuffer,
        client: HTTPFields
    ) -> StoredResponse {
        StoredResponse(
            status: status,
            headers: headers,
            body: body,
            requestTime: response.requestTime,
            responseTime: response.responseTime,
            selectingHeaders: Storability.varyNames(response.headers).map {
                .init(name: $0, value: SelectingHeaderValue.of(client, $0))
            },
            tags: Storability.tags(response.headers)
        )
    }

    /// Whether two responses are of one representation, so their parts may be joined.
    static func sameRepresentation(_ stored: HTTPFields, _ received: HTTPFields) -> Bool {
        if let old = stored[.eTag], let new = received[.eTag] {
            return !old.hasPrefix("W/") && old == new
        }
        guard stored[.eTag] == nil, received[.eTag] == nil else { return false }
        return stored[.lastModified] != nil && stored[.lastModified] == received[.lastModified]
    }

    private func revalidate(
        _ stored: StoredResponse,
        _ method: HTTPRequest.Method,
        _ target: String,
        client: HTTPFields,
        forward: Forwarding
    ) async throws -> Response {
        let now = HTTPDate.now
        let age = stored.currentAge(at: now)
        let policy = stored.policy
        let staleForErrors = max(
            policy.staleIfError,
            Double(CacheDirectives(client[values: .cacheControl]).seconds("stale-if-error") ?? 0)
        )
        var headers = Self.withoutConditionals(forward.headers)
        if let etag = stored.headers[.eTag] { headers[.ifNoneMatch] = etag }
        if let modified = stored.headers[.lastModified] { headers[.ifModifiedSince] = modified }
        let response: OriginResponse
        do {
            response = try await send(.get, target, headers: headers, body: nil)
        } catch {
            // Disconnected from the origin: RFC 9111 §4.2.4 lets a cache serve stale unless the
            // response forbids it.
            if !policy.forbidsStale,
                age < policy.lifetime + max(staleForErrors, configuration.staleIfUnreachableSeconds)
            {
                return StoredAnswer.response(stored, age: age, method: method, request: client)
            }
            return originUnreachable(error)
        }
        if response.status == .notModified {
            _ = try? await response.collect(upTo: 1 << 16)
            let updated = stored.refreshed(by: response)
            cache.store(updated, for: target)
            return StoredAnswer.response(
                updated,
                age: updated.currentAge(at: HTTPDate.now),
                method: method,
                request: client
            )
        }
        if [500, 502, 503, 504].contains(response.status.code), !policy.requiresRevalidation,
            !policy.directives.has("must-revalidate"), age < policy.lifetime + staleForErrors
        {
            _ = try? await response.collect(upTo: 1 << 20)
            return StoredAnswer.response(stored, age: age, method: method, request: client)
        }
        return try await storeOrStream(response, target, client: client, method: method)
    }

    /// Serves stale now and revalidates once per target in the background
    /// (`stale-while-revalidate`).
    private func refreshInBackground(
        _ target: String,
        _ stored: StoredResponse,
        forward: Forwarding,
        client: HTTPFields
    ) {
        let started = refreshing.withLock { $0.insert(target).inserted }
        guard started else { return }
        Task {
            defer { _ = refreshing.withLock { $0.remove(target) } }
            let answer = try? await revalidate(stored, .get, target, client: client, forward: forward)
            // Drain what a full response streams, so its connection returns to the pool.
            if let answer { try? await answer.body.write(DiscardingWriter()) }
        }
    }

    // MARK: Pass-through

    private func pass(_ request: Request, _ target: String, forward: Forwarding, invalidating: Bool)
        async throws -> Response
    {
        // Like nginx's request buffering: the body is read whole before the origin sees it. A
        // streamed one could still be sending when the origin has answered, and the client
        // connection's next request would then be read while the upload still read this one.
        let length = request.headers[.contentLength].flatMap { Int($0) }
        let chunked = request.headers[values: .transferEncoding].contains { $0.lowercased().contains("chunked") }
        var body: HTTPClientRequest.Body?
        if length != nil || chunked {
            if let length, length > configuration.maximumRequestBodySize {
                return EdgeProblem.response(.contentTooLarge, Self.tooLarge(configuration.maximumRequestBodySize))
            }
            var request = request
            do {
                body = .bytes(try await request.collectBody(upTo: configuration.maximumRequestBodySize))
            } catch {
                return EdgeProblem.response(.contentTooLarge, Self.tooLarge(configuration.maximumRequestBodySize))
            }
        }
        if request.method == .post {
            return try await post(target, headers: forward.headers, body: body, client: request.headers)
        }
        let response = try await passThrough(request.method, target, headers: forward.headers, body: body)
        if invalidating, (200..<400).contains(response.status.code) {
            invalidate(target, response.headers)
        }
        return response
    }

    /// A `POST` invalidates what it changed, and its answer is stored as the target's `GET`
    /// answer when it says it is one (RFC 9110 §9.3.3): explicit freshness and a
    /// `Content-Location` naming the target itself.
    private func post(_ target: String, headers: HTTPFields, body: HTTPClientRequest.Body?, client: HTTPFields)
        async throws -> Response
    {
        let response: OriginResponse
        do {
            response = try await send(.post, target, headers: headers, body: body)
        } catch {
            return originUnreachable(error)
        }
        guard (200..<400).contains(response.status.code) else { return streamed(response, method: .post) }
        invalidate(target, response.headers)
        guard let location = response.headers[.contentLocation], sameOriginTarget(location) == target,
            FreshnessPolicy(headers: response.headers, status: response.status).hasExplicitLifetime
        else { return streamed(response, method: .post) }
        return try await storeOrStream(response, target, client: client, method: .get)
    }

    private func passThrough(
        _ method: HTTPRequest.Method,
        _ target: String,
        headers: HTTPFields,
        body: HTTPClientRequest.Body?
    )
        async throws -> Response
    {
        do {
            let response = try await send(method, target, headers: headers, body: body)
            return streamed(response, method: method)
        } catch {
            return originUnreachable(error)
        }
    }

    /// RFC 9111 §4.4: an unsafe method that succeeded invalidates its target and the
    /// same-origin `Location` and `Content-Location`.
    private func invalidate(_ target: String, _ headers: HTTPFields) {
        cache.remove(target: target)
        for name: HTTPField.Name in [.location, .contentLocation] {
            if let value = headers[name], let other = sameOriginTarget(value) { cache.remove(target: other) }
        }
    }

    /// The target a `Location` or `Content-Location` names when it is on the origin: a path as
    /// it is, an absolute URL only with the origin's scheme, host and port.
    private func sameOriginTarget(_ value: String) -> String? {
        if value.hasPrefix("/") { return value }
        guard let url = URLComponents(string: value), url.host == configuration.origin.host,
            url.port == configuration.origin.port, url.scheme == configuration.origin.scheme
        else { return nil }
        let path = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath
        return path + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    private func streamed(_ response: OriginResponse, method: HTTPRequest.Method) -> Response {
        if method == .head || response.status == .notModified || response.status == .noContent {
            return Response(status: response.status, headers: response.headers)
        }
        return Response(
            status: response.status,
            headers: response.headers,
            body: ResponseBody(asyncSequence: response.body)
        )
    }

    private func send(
        _ method: HTTPRequest.Method,
        _ target: String,
        headers: HTTPFields,
        body: HTTPClientRequest.Body?
    )
        async throws -> OriginResponse
    {
        fetches.add(1, ordering: .relaxed)
        return try await origin.send(method: method, target: target, headers: headers, body: body)
    }

    private func originUnreachable(_ error: any Error) -> Response {
        logger.warning("origin unreachable", metadata: ["error": "\(error)"])
        return EdgeProblem.response(.badGateway, "The origin did not answer. Try again shortly.")
    }

    // MARK: Headers

    static func tooLarge(_ limit: Int) -> String {
        "The request body is larger than the edge accepts (\(limit >> 20) MiB). Send large files through the resumable upload API."
    }

    static func withoutConditionals(_ headers: HTTPFields) -> HTTPFields {
        var headers = headers
        headers[.ifNoneMatch] = nil
        headers[.ifModifiedSince] = nil
        headers[.range] = nil
        headers[.ifRange] = nil
        return headers
    }
}

/// The client's headers for the origin: no hop-by-hop fields, `X-Forwarded-*`, `Forwarded`
/// and `Via` saying who asked and through what, and the verified user's signature.
struct Forwarding: Sendable {
    let client: HTTPFields
    let address: String
    let host: String?
    let via: String
    /// Who signs for which verified user; signed when the headers are built, so a background
    /// revalidation long after the request still carries a signature the origin accepts.
    var identity: (signer: EdgeIdentity, user: String)? = nil

    var headers: HTTPFields {
        var headers = HopByHop.removing(from: client)
        if let identity {
            headers[EdgeIdentity.signatureHeader] = identity.signer.signatureValue(user: identity.user)
        }
        let previous = headers[values: .xForwardedFor].nonEmptyJoined
        headers[.xForwardedFor] = previous.map { "\($0), \(address)" } ?? address
        if let host { headers[.xForwardedHost] = host }
        headers[.xForwardedProto] = "http"
        let forwardedFor = address.contains(":") ? "\"[\(address)]\"" : address
        let element = "for=\(forwardedFor)" + (host.map { ";host=\"\($0)\"" } ?? "") + ";proto=http"
        headers[.forwarded] = headers[values: .forwarded].nonEmptyJoined.map { "\($0), \(element)" } ?? element
        headers[.via] = headers[values: .via].nonEmptyJoined.map { "\($0), 1.1 \(via)" } ?? "1.1 \(via)"
        return headers
    }
}

/// A body writer that throws the bytes away: a background refresh has no client.
private struct DiscardingWriter: ResponseBodyWriter {
    mutating func write(_ buffer: ByteBuffer) async throws {}
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

extension StoredResponse {
    /// RFC 9111 §3.2: the 304's fields replace the stored ones of the same name, except
    /// `Content-Length`; the clock readings become the 304's.
    func refreshed(by response: OriginResponse) -> StoredResponse {
        var updated = self
        for name in Set(response.headers.map(\.name)) where name != .contentLength {
            updated.headers[values: name] = response.headers[values: name]
        }
        updated.requestTime = response.requestTime
        updated.responseTime = response.responseTime
        updated.tags = Storability.tags(updated.headers)
        updated.rederive()
        return updated
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xForwardedHost = Self("X-Forwarded-Host")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let forwarded = Self("Forwarded")!
    static let pragma = Self("Pragma")!
}
