import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import WenwexHummingbird
import WenwexStorage

/// Resumable uploads of private files over tus 1.0, for clients on connections that drop
/// (Supabase Storage offers the same): `POST /uploads` with `Upload-Length` starts one,
/// `PATCH /uploads/<id>` appends from `Upload-Offset`, `HEAD` says where to resume, `DELETE`
/// abandons it. Each upload is its signed-in owner's alone. Once complete it is the private file
/// `private/<user>/<id>`, served like a `POST /files` one through signed URLs
/// (`GET /files/<user>/<id>/url`). The upload limit is the server's `MAX_UPLOAD_BYTES`.
struct UploadRoutes: Sendable {
    let uploads: ResumableUploads

    func register(on router: MarketplaceRouter) {
        ResumableUploadRoutes(
            uploads: uploads,
            path: "uploads",
            owner: { _, context in (context as? MarketplaceRequestContext)?.identity.map { String($0.userID) } },
            destination: { id, _, owner in try? ObjectKey("private/\(owner)/\(id)") }
        ).register(on: router)
    }
}

/// Removes the uploads nobody finished before they expired, every `interval`.
struct ResumableUploadSweep: Service {
    let uploads: ResumableUploads
    let logger: Logger
    var interval: Duration = .seconds(600)

    func run() async throws {
        // Its long sleep ends with the server's shutdown rather than holding it up.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let removed = try await uploads.sweepExpired()
                    if removed > 0 { logger.info("abandoned uploads removed", metadata: ["count": "\(removed)"]) }
                } catch {
                    logger.warning(
                        "sweeping abandoned uploads failed; trying again later",
                        metadata: ["error": "\(error)"]
                    )
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
