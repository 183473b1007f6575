import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import WenwexHummingbird
import WenwexStorage

/// Private files: stored under `private/<user>/` and served only through signed URLs.
///
/// `POST /files` stores the body and answers a signed URL; `GET /files/<user>/<name>/url`
/// gives the owner a fresh one. `GET|HEAD /files/<user>/<name>?expires=…&kid=…&sig=…` serves
/// the bytes after checking the signature, with no database call, so an edge node can check it
/// the same way. Expiries are rounded up to 5-minute windows: every client asking within a
/// window gets the same URL, which a CDN can cache until it expires (Supabase's signed URLs,
/// unique per request, always miss: supabase#23406).
struct FileRoutes: Sendable {
    let objects: any ObjectStore
    let signer: URLSigner
    let settings: ServerSettings

    /// How long a signed URL works.
    static let lifetime: Duration = .seconds(3600)

    struct FileView: Codable, Sendable, Equatable {
        var key: String
        var size: Int
        var url: String
        var expires: Int
    }

    func register(on router: MarketplaceRouter) {
        router.post("files") { request, context in try await upload(request, context) }
        router.get("files/:user/:name/url") { _, context in try await freshURL(context) }
        router.get("files/:user/:name") { request, context in try await serve(request, context) }
        router.head("files/:user/:name") { request, context in try await serve(request, context) }
    }

    func upload(_ request: Request, _ context: MarketplaceRequestContext) async throws -> JSONResponse<FileView> {
        let identity = try context.requireIdentity()
        let name = UUID().uuidString.lowercased()
        let key = try ObjectKey("private/\(identity.userID)/\(name)")
        let limit = settings.maxUploadBytes
        let counted = Atomic<Int>(0)
        let body = ObjectBody(request.body).inspecting { buffer in
            let total = counted.add(buffer.readableBytes, ordering: .relaxed).newValue
            if total > limit { throw Problem.tooLarge(limit: limit) }
        }
        let contentType = request.headers[.contentType] ?? "application/octet-stream"
        let info = try await objects.put(key, body: body, options: PutOptions(contentType: contentType))
        let view = signedView(user: identity.userID, name: name, size: info.size)
        var response = JSONResponse(status: .created, value: view)
        response.headers[.location] = view.url
        return response
    }

    func freshURL(_ context: MarketplaceRequestContext) async throws -> JSONResponse<FileView> {
        let identity = try context.requireIdentity()
        let (user, name) = try path(context)
        guard user == identity.userID || identity.isAdmin else {
            throw Problem.forbidden("Only the owner of a file can sign URLs for it.")
        }
        guard let info = try await objects.head(try ObjectKey("private/\(user)/\(name)")) else {
            throw Problem.notFound("File \(user)/\(name)")
        }
        return JSONResponse(status: .ok, value: signedView(user: user, name: name, size: info.size))
    }

    func serve(_ request: Request, _ context: MarketplaceRequestContext) async throws -> Response {
        let (user, name) = try path(context)
        let path = "/files/\(user)/\(name)"
        var parameters: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { parameters[String(key)] = String(value) }
        do {
            // HEAD is checked as GET: a signed URL is good for both.
            try signer.verify(method: "GET", path: path, parameters: parameters)
        } catch {
            throw Problem(
                .forbidden,
                slug: "bad-signature",
                title: "Invalid or expired link",
                detail: "\(error.description.prefix(1).uppercased())\(error.description.dropFirst()). Ask for a new link."
            )
        }
        let key = try ObjectKey("private/\(user)/\(name)")
        guard let info = try await objects.head(key) else { throw Problem.notFound("File \(user)/\(name)") }
        let remaining = max(0, (Int(parameters["expires"] ?? "") ?? 0) - Int(Date().timeIntervalSince1970))
        var headers: HTTPFields = [
            // Shared caches may keep it until the link expires, and no longer.
            .cacheControl: "public, max-age=\(remaining)",
            .eTag: "\"\(info.etag)\"",
            .contentType: info.contentType ?? "application/octet-stream",
            .contentLength: String(info.size),
        ]
        headers[.surrogateKey] = "files file-\(user)-\(name)"
        if request.method == .head { return Response(status: .ok, headers: headers) }
        let download = try await objects.get(key)
        return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: download.body))
    }

    private func path(_ context: MarketplaceRequestContext) throws -> (user: Int, name: String) {
        guard let user = context.parameters.get("user").flatMap({ Int($0) }), user > 0,
            let name = context.parameters.get("name"), name.count == 36,
            name.allSatisfy({ $0.isHexDigit || $0 == "-" })
        else { throw Problem.notFound("File") }
        return (user, name)
    }

    private func signedView(user: Int, name: String, size: Int) -> FileView {
        let path = "/files/\(user)/\(name)"
        let expires = URLSigner.expiry(validFor: Self.lifetime)
        return FileView(key: "\(user)/\(name)", size: size, url: signer.sign(path: path, expires: expires), expires: expires)
    }
}
