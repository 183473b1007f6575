import Foundation
import Hummingbird
import NIOCore

/// The purge API: `POST /_wenwex/purge` with `{"tags": [...], "paths": [...], "prefixes": [...]}`
/// and `Authorization: Bearer <token>`; the origin's `HTTPPurgeSink` sends exactly this when an
/// image is deleted or replaced. Answers `{"purged": n}`.
struct PurgeEndpoint: Sendable {
    let token: String?

    struct Body: Decodable {
        var tags: [String]?
        var paths: [String]?
        var prefixes: [String]?
    }

    func handle(_ request: Request, cache: MemoryCache) async -> Response {
        guard request.method == .post else {
            return EdgeProblem.response(.methodNotAllowed, "The purge API takes POST.", headers: [.allow: "POST"])
        }
        guard let token else {
            return EdgeProblem.response(.forbidden, "Purging is off: start the edge with EDGE_PURGE_TOKEN set.")
        }
        let sent = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let sent, SecretComparison.equal(sent, token) else {
            return EdgeProblem.response(.unauthorized, "Send the purge token as `Authorization: Bearer <token>`.")
        }
        let body: Body
        do {
            let bytes = try await request.body.collect(upTo: 1 << 20)
            body = try JSONDecoder().decode(Body.self, from: Data(bytes.readableBytesView))
        } catch {
            return EdgeProblem.response(
                .badRequest,
                #"The body must be JSON like {"tags": ["image-…"], "paths": ["/images/…"], "prefixes": ["/images/"]}."#
            )
        }
        var purged = 0
        for tag in body.tags ?? [] { purged += cache.remove(tag: tag) }
        for path in body.paths ?? [] { purged += cache.remove(target: path) }
        for prefix in body.prefixes ?? [] { purged += cache.remove(prefix: prefix) }
        let json = #"{"purged":\#(purged)}"#
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: json))
        )
    }
}
