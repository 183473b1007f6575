import Logging
import WenwexStorage

/// What follows an image leaving use (deleted, replaced, its product deleted): its object is
/// removed when no other image row points at it, and every cache is told to forget its URL and
/// tag, whether or not the object stays (the product no longer shows it).
struct ImageRelease: Sendable {
    let images: ImageStore
    let purges: PurgePublisher
    let logger: Logger

    /// The tag every cached copy of image `key` carries (`Surrogate-Key` / `Cache-Tag`).
    static func tag(_ key: String) -> String { "image-" + key.prefix(64) }

    func release(_ released: [ReleasedImage], reason: String) async {
        guard !released.isEmpty else { return }
        for image in released where !image.stillUsed {
            do {
                try await images.objects.delete(try ImageStore.objectKey(image.key))
            } catch {
                // The row is gone already; an object left behind costs space, not correctness.
                logger.warning("could not remove an unused image", metadata: ["key": "\(image.key)", "error": "\(error)"])
            }
        }
        purges.publish(
            PurgeEvent(
                tags: released.filter { !$0.stillUsed }.map { Self.tag($0.key) },
                paths: released.map { "/images/" + $0.key },
                reason: reason
            )
        )
    }
}
