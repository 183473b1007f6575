import Crypto
import Foundation
import NIOCore

/// Copies every object under a prefix from one store to another (filesystem to S3, S3 to S3),
/// streamed, verified by SHA-256, and resumable: an object the destination already holds with
/// the same checksum is skipped, so a sync stopped halfway continues where it stopped.
///
/// Each copied object carries its checksum as `sha256` metadata; the destination is read back
/// and hashed before the object counts as copied. Memory stays at a buffer or two, whatever
/// the object's size.
public struct StoreSync: Sendable {
    /// What a run did.
    public struct Report: Sendable, Equatable {
        /// Objects copied and read back with the source's SHA-256.
        public var copied: Int = 0
        /// Objects the destination already held with the same size and SHA-256.
        public var skipped: Int = 0
        /// Bytes of the copied objects (by the source listing's sizes); skipped ones are not counted.
        public var bytes: Int = 0
    }

    /// An object whose bytes, as sent or as read back, do not have the source's SHA-256; the copy
    /// was deleted from the destination.
    public struct Mismatch: Error, Sendable, CustomStringConvertible {
        /// The object that failed.
        public var key: ObjectKey
        /// What happened, and that running the sync again retries the object.
        public var description: String {
            "'\(key)' reads back with another checksum than was sent; it was removed from the destination, run the sync again"
        }
    }

    /// Read from, never written.
    public let source: any ObjectStore
    /// Written to; its identity stamp is never replaced by the source's.
    public let destination: any ObjectStore

    /// Touches neither store; run each store's guard before syncing into it.
    public init(from source: any ObjectStore, to destination: any ObjectStore) {
        self.source = source
        self.destination = destination
    }

    /// Copies every object under `prefix` but the identity stamp, listing 500 at a time; `progress`
    /// hears each key with `true` when it was copied and `false` when skipped. Stops at the first
    /// error (``Mismatch`` or the stores'); running it again resumes.
    public func run(prefix: String = "", progress: (ObjectKey, Bool) -> Void = { _, _ in }) async throws -> Report {
        var report = Report()
        var token: String?
        repeat {
            let page = try await source.list(prefix: prefix, token: token, limit: 500)
            for object in page.objects where object.key != StorageIdentity.stampKey {
                // Each store keeps its own stamp: environments never copy their identity.
                let known = try await knownChecksum(object)
                if let known, let existing = try await destination.head(object.key), existing.size == object.size,
                    existing.metadata["sha256"] == known
                        || (destination is FilesystemObjectStore && existing.etag == known)
                {
                    report.skipped += 1
                    progress(object.key, false)
                    continue
                }
                try await copy(object, known: known)
                report.copied += 1
                report.bytes += object.size
                progress(object.key, true)
            }
            token = page.nextToken
        } while token != nil
        return report
    }

    /// The source object's SHA-256 when the store knows it without reading the bytes.
    func knownChecksum(_ object: ObjectInfo) async throws -> String? {
        if source is FilesystemObjectStore { return object.etag }
        return try await source.head(object.key)?.metadata["sha256"]
    }

    /// Streams the object across with its checksum as metadata, then reads the destination back
    /// and compares. A source without a known checksum is hashed in a first pass.
    func copy(_ object: ObjectInfo, known: String?) async throws {
        var checksum = known
        if checksum == nil {
            let first = StreamDigest()
            for try await buffer in try await source.get(object.key).body { first.add(buffer) }
            checksum = first.hex()
        }
        let download = try await source.get(object.key)
        let sent = StreamDigest()
        let hashed = download.body.inspecting { sent.add($0) }
        var metadata = download.info.metadata
        metadata["sha256"] = checksum
        _ = try await destination.put(
            object.key,
            body: hashed,
            options: PutOptions(contentType: download.info.contentType, metadata: metadata)
        )
        let readBack = StreamDigest()
        for try await buffer in try await destination.get(object.key).body { readBack.add(buffer) }
        // The bytes sent must be the source's (it did not change mid-copy) and arrive intact.
        guard sent.hex() == checksum, readBack.hex() == checksum else {
            try? await destination.delete(object.key)
            throw Mismatch(key: object.key)
        }
    }
}
