import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore
public import WenwexStorage

/// The tus 1.0 protocol (core, creation, expiration, termination) over ``ResumableUploads``:
/// what Supabase Storage offers its clients, so a phone on a bad connection resumes a large
/// upload instead of starting again.
///
/// `OPTIONS /<path>` announces the server; `POST` creates an upload (`Upload-Length`,
/// `Upload-Metadata`) and answers its `Location`; `HEAD /<path>/<id>` says where to resume
/// (`Upload-Offset`); `PATCH` with `Content-Type: application/offset+octet-stream` appends
/// from `Upload-Offset`; `DELETE` abandons it. Any tus client works (tus-js-client, tuspy,
/// TUSKit).
public struct ResumableUploadRoutes: Sendable {
    public static let version = "1.0.0"

    public let uploads: ResumableUploads
    /// The route prefix, `uploads` for `/uploads`.
    public let path: String
    /// Where a new upload's bytes go, from its metadata and its owner; `nil` refuses the
    /// upload (400).
    public let destination: @Sendable (_ id: String, _ metadata: [String: String], _ owner: String?) -> ObjectKey?
    /// Who a request is made by (a user id from the app's authentication), for uploads that
    /// belong to someone: `nil` answers 401. An upload remembers its owner, and another
    /// owner's requests for it get 404, as if it did not exist. Without it, anyone holding an
    /// upload's URL may resume it.
    public let owner: (@Sendable (_ request: Request, _ context: any RequestContext) -> String?)?

    /// Uploads anyone may make and resume, knowing the upload's URL.
    public init(
        uploads: ResumableUploads,
        path: String = "uploads",
        destination: @escaping @Sendable (_ id: String, _ metadata: [String: String]) -> ObjectKey?
    ) {
        self.uploads = uploads
        self.path = path
        self.destination = { id, metadata, _ in destination(id, metadata) }
        self.owner = nil
    }

    /// Uploads that belong to the user `owner` names, each only theirs to resume or abandon.
    public init(
        uploads: ResumableUploads,
        path: String = "uploads",
        owner: @escaping @Sendable (_ request: Request, _ context: any RequestContext) -> String?,
        destination: @escaping @Sendable (_ id: String, _ metadata: [String: String], _ owner: String) -> ObjectKey?
    ) {
        self.uploads = uploads
        self.path = path
        self.owner = owner
        self.destination = { id, metadata, owner in owner.flatMap { destination(id, metadata, $0) } }
    }

    /// The metadata key an upload's owner is kept under; a client's own value for it is dropped.
    static let ownerMetadataKey = "wenwex-owner"

    /// Adds the five routes under ``path``.
    public func register<Context: RequestContext>(on router: Router<Context>) {
        let base = RouterPath(path)
        let item = RouterPath(path + "/:uploadID")
        router.on(base, method: .options) { _, _ in
            Response(status: .noContent, headers: self.announce([:]))
        }
        router.post(base) { request, context in
            try await self.create(request, owner: self.owner?(request, context))
        }
        router.head(item) { request, context in
            try await self.owned(request, context) { try await self.status(request, id: $0) }
        }
        router.patch(item) { request, context in
            try await self.owned(request, context) { try await self.append(request, id: $0) }
        }
        router.delete(item) { request, context in
            try await self.owned(request, context) { id in
                try await self.uploads.terminate(id)
                return Response(status: .noContent, headers: self.resumable([:]))
            }
        }
    }

    /// Runs `body` with the upload's id once the request's owner may touch it: 401 without an
    /// owner, 404 for someone else's upload.
    func owned<Context: RequestContext>(
        _ request: Request,
        _ context: Context,
        _ body: (String) async throws -> Response
    ) async throws -> Response {
        let id = context.parameters.get("uploadID") ?? ""
        do {
            if let owner {
                guard let who = owner(request, context) else {
                    return Response(status: .unauthorized, headers: resumable([:]))
                }
                guard try await uploads.upload(id).metadata[Self.ownerMetadataKey] == who else {
                    return Response(status: .notFound, headers: resumable([:]))
                }
            }
            return try await body(id)
        } catch let failure as ResumableUploads.Failure {
            return self.failure(failure)
        }
    }

    func create(_ request: Request, owner who: String?) async throws -> Response {
        if let refusal = versionRefusal(request) { return refusal }
        if owner != nil, who == nil { return Response(status: .unauthorized, headers: resumable([:])) }
        guard let lengthText = request.headers[.uploadLength], let length = Int(lengthText), length >= 0 else {
            return Response(status: .badRequest, headers: resumable([:]))
        }
        var metadata = ResumableUploads.decodeMetadata(request.headers[.uploadMetadata])
        metadata[Self.ownerMetadataKey] = who
        let id = UUID().uuidString.lowercased()
        guard let key = destination(id, metadata, who) else {
            return Response(status: .badRequest, headers: resumable([:]))
        }
        do {
            let upload = try await uploads.create(id: id, length: length, metadata: metadata, destination: key)
            var headers = resumable([:])
            headers[.location] = "/\(path)/\(upload.id)"
            headers[.uploadExpires] = Self.httpDate(upload.expires)
            return Response(status: .created, headers: headers)
        } catch let failure as ResumableUploads.Failure {
            return self.failure(failure)
        }
    }

    func status(_ request: Request, id: String) async throws -> Response {
        if let refusal = versionRefusal(request) { return refusal }
        do {
            let upload = try await uploads.upload(id)
            var headers = resumable([:])
            headers[.uploadOffset] = String(upload.offset)
            headers[.uploadLength] = String(upload.length)
            headers[.uploadExpires] = Self.httpDate(upload.expires)
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers)
        } catch let failure as ResumableUploads.Failure {
            return self.failure(failure)
        }
    }

    func append(_ request: Request, id: String) async throws -> Response {
        if let refusal = versionRefusal(request) { return refusal }
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/offset+octet-stream") == true else {
            return Response(status: .unsupportedMediaType, headers: resumable([:]))
        }
        guard let offsetText = request.headers[.uploadOffset], let offset = Int(offsetText) else {
            return Response(status: .badRequest, headers: resumable([:]))
        }
        do {
            let upload = try await uploads.append(id, offset: offset, body: ObjectBody(request.body))
            var headers = resumable([:])
            headers[.uploadOffset] = String(upload.offset)
            headers[.uploadExpires] = Self.httpDate(upload.expires)
            return Response(status: .noContent, headers: headers)
        } catch let failure as ResumableUploads.Failure {
            return self.failure(failure)
        }
    }

    func failure(_ failure: ResumableUploads.Failure) -> Response {
        switch failure {
        case .notFound: Response(status: .notFound, headers: resumable([:]))
        case .expired: Response(status: .gone, headers: resumable([:]))
        case .offsetMismatch(let expected):
            Response(status: .conflict, headers: resumable([.uploadOffset: String(expected)]))
        case .tooLarge: Response(status: .contentTooLarge, headers: resumable([:]))
        }
    }

    /// 412 with the versions this server speaks, for a client of another tus version.
    func versionRefusal(_ request: Request) -> Response? {
        guard request.headers[.tusResumable] != Self.version else { return nil }
        return Response(status: .preconditionFailed, headers: announce([:]))
    }

    func resumable(_ headers: HTTPFields) -> HTTPFields {
        var headers = headers
        headers[.tusResumable] = Self.version
        return headers
    }

    func announce(_ headers: HTTPFields) -> HTTPFields {
        var headers = resumable(headers)
        headers[.tusVersion] = Self.version
        headers[.tusExtension] = "creation,expiration,termination"
        headers[.tusMaxSize] = String(uploads.maxSize)
        return headers
    }

    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

extension HTTPField.Name {
    static var tusResumable: Self { Self("Tus-Resumable")! }
    static var tusVersion: Self { Self("Tus-Version")! }
    static var tusExtension: Self { Self("Tus-Extension")! }
    static var tusMaxSize: Self { Self("Tus-Max-Size")! }
    static var uploadLength: Self { Self("Upload-Length")! }
    static var uploadOffset: Self { Self("Upload-Offset")! }
    static var uploadMetadata: Self { Self("Upload-Metadata")! }
    static var uploadExpires: Self { Self("Upload-Expires")! }
}
