import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix
import WenwexHummingbird
import WenwexRouting
import WenwexStorage

/// Product image upload, and the immutable, content-addressed image URLs.
///
/// `GET /images/<sha256>.<ext>` never changes, so it is served with
/// `Cache-Control: public, max-age=31536000, immutable` and the hash as its `ETag`: a CDN or
/// browser keeps it forever, revalidation is a 304, and `Range` serves parts (206). Bodies
/// stream from the object store both ways; `HEAD` answers with the headers alone.
struct ImageRoutes: Sendable {
    let store: MarketplaceStore
    let images: ImageStore
    let settings: ServerSettings
    let release: ImageRelease

    static let cacheControl = "public, max-age=31536000, immutable"

    func register(on router: MarketplaceRouter) {
        router.post("products/:id/images") { request, context in try await upload(request, context) }
        router.put("products/:id/images/:imageID") { request, context in try await replace(request, context) }
        router.delete("products/:id/images/:imageID") { _, context in try await delete(context) }
        router.get("images/:key") { request, context in try await serve(request, context) }
        router.head("images/:key") { request, context in try await serve(request, context) }
    }

    func upload(_ request: Request, _ context: MarketplaceRequestContext) async throws -> JSONResponse<ImageView> {
        let identity = try context.requireIdentity()
        let id = try context.id(of: "Product")
        try await store.requireProduct(id, modifiableBy: identity, after: context.consistency, to: "add images to")
        let stored = try await receive(request)
        let written = try await store.addImage(productID: id, key: stored.key, contentType: stored.contentType, size: stored.size)
        var response = JSONResponse.written(written, status: .created, context: context)
        response.headers[.location] = written.value.url
        return response
    }

    /// `PUT /products/:id/images/:imageID`: new bytes for an image, same id and position; the old
    /// URL is purged from every cache.
    func replace(_ request: Request, _ context: MarketplaceRequestContext) async throws -> JSONResponse<ImageView> {
        let identity = try context.requireIdentity()
        let id = try context.id(of: "Product")
        let imageID = try context.id("imageID", of: "Image")
        try await store.requireProduct(id, modifiableBy: identity, after: context.consistency, to: "change images of")
        let stored = try await receive(request)
        let written = try await store.replaceImage(
            productID: id,
            imageID: imageID,
            key: stored.key,
            contentType: stored.contentType,
            size: stored.size
        )
        guard let replaced = written.value else { throw Problem.notFound("Image \(imageID) of product \(id)") }
        await release.release(replaced.released, reason: "image replaced")
        return JSONResponse.written(Written(value: replaced.image, token: written.token), context: context)
    }

    /// `DELETE /products/:id/images/:imageID`: the row, the object when nothing else uses it,
    /// and a purge event.
    func delete(_ context: MarketplaceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let id = try context.id(of: "Product")
        let imageID = try context.id("imageID", of: "Image")
        try await store.requireProduct(id, modifiableBy: identity, after: context.consistency, to: "remove images of")
        let written = try await store.removeImage(productID: id, imageID: imageID)
        guard let released = written.value else { throw Problem.notFound("Image \(imageID) of product \(id)") }
        context.recordWrite(written.token)
        await release.release(released, reason: "image deleted")
        return Response(status: .noContent)
    }

    /// Streams an upload into the store after checking its declared type, size and first bytes.
    func receive(_ request: Request) async throws -> (key: String, size: Int, contentType: String) {
        let declared = request.headers[.contentType]?.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        let accepted = ImageStore.formats.map(\.contentType)
        guard let declared, accepted.contains(declared) else {
            throw Problem(
                .unsupportedMediaType,
                slug: "unsupported-media-type",
                title: "Unsupported image type",
                detail: "Send the image bytes as the body with Content-Type " + accepted.joined(separator: ", ") + "."
            )
        }
        let stored: (key: String, size: Int)
        do {
            stored = try await images.put(body: request.body, declared: declared, limit: settings.maxUploadBytes)
        } catch ImageStore.UploadRefusal.tooLarge {
            throw Problem.tooLarge(limit: settings.maxUploadBytes)
        } catch ImageStore.UploadRefusal.notDeclaredType {
            throw Problem.validation([
                .init(field: "body", message: "is not a \(declared) image (its first bytes do not match the type)")
            ])
        }
        return (stored.key, stored.size, declared)
    }

    func serve(_ request: Request, _ context: MarketplaceRequestContext) async throws -> Response {
        guard let key = context.parameters.get("key"), ImageStore.isValidKey(key),
            let contentType = ImageStore.contentType(ofKey: key)
        else { throw Problem.notFound("Image \(context.parameters.get("key") ?? "")") }
        let objectKey = try ImageStore.objectKey(key)
        guard let info = try await images.objects.head(objectKey) else { throw Problem.notFound("Image \(key)") }
        let hash = String(key.prefix(64))
        let etag = "\"\(hash)\""
        var headers: HTTPFields = [
            .eTag: etag,
            .cacheControl: Self.cacheControl,
            .acceptRanges: "bytes",
            .contentType: contentType,
            // Tags for purging: Fastly and Varnish read Surrogate-Key (space-separated),
            // Cloudflare Cache-Tag (comma-separated).
            .surrogateKey: "images \(ImageRelease.tag(key))",
            .cacheTag: "images,\(ImageRelease.tag(key))",
        ]
        if let condition = request.headers[.ifNoneMatch], Self.matches(condition, etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        // `If-Range` with another validator asks for the whole body instead of a stale range.
        let rangeHeader = request.headers[.ifRange].map { $0 == etag } ?? true ? request.headers[.range] : nil
        let isHead = request.method == .head
        switch ByteRange(header: rangeHeader, length: info.size) {
        case .whole:
            headers[.contentLength] = String(info.size)
            if isHead { return Response(status: .ok, headers: headers) }
            let download = try await images.objects.get(objectKey, range: nil)
            return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: download.body))
        case .partial(let lower, let upper):
            headers[.contentRange] = "bytes \(lower)-\(upper)/\(info.size)"
            headers[.contentLength] = String(upper - lower + 1)
            if isHead { return Response(status: .partialContent, headers: headers) }
            let download = try await images.objects.get(objectKey, range: ObjectRange(lower, upper))
            return Response(status: .partialContent, headers: headers, body: ResponseBody(asyncSequence: download.body))
        case .unsatisfiable:
            throw Problem(
                .rangeNotSatisfiable,
                slug: "range-not-satisfiable",
                title: "Range not satisfiable",
                detail: "The image is \(info.size) bytes long.",
                headers: [.contentRange: "bytes */\(info.size)"]
            )
        }
    }

    /// `If-None-Match`: `*`, or a list of (possibly weak) entity tags.
    static func matches(_ header: String, etag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            let tag = candidate.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }
}

extension HTTPField.Name {
    static let surrogateKey = Self("Surrogate-Key")!
    static let cacheTag = Self("Cache-Tag")!
}
