public import Foundation
public import WenwexStorage

/// Where one environment's backups live: `<prefix><environment>/<id>/payload` and, written
/// last, `<prefix><environment>/<id>/manifest.json`, in any ``ObjectStore``.
///
/// A payload without a manifest is a backup that never finished (killed, or failed before
/// its manifest): ``manifests()`` ignores it and ``incomplete()`` lists it for `prune`.
public struct BackupRepository: Sendable {
    /// Any object store; a bucket shared with other data keeps backups under ``prefix``.
    public let store: any ObjectStore
    /// Every key is under `<prefix><environment>/`: environments sharing a store never see each
    /// other's backups.
    public let environment: String
    /// Keys start with it (`backups/` inside a shared bucket; empty in a directory of its own).
    public let prefix: String

    /// A non-empty `prefix` should end with `/` (``BackupSettings`` uses `backups/`).
    public init(store: any ObjectStore, environment: String, prefix: String = "") {
        self.store = store
        self.environment = environment
        self.prefix = prefix
    }

    var folder: String { "\(prefix)\(environment)/" }

    func payloadKey(_ id: String) throws -> ObjectKey { try ObjectKey("\(folder)\(id)/payload") }
    func manifestKey(_ id: String) throws -> ObjectKey { try ObjectKey("\(folder)\(id)/manifest.json") }

    /// Every finished backup of the environment, newest first. A manifest that cannot be read
    /// is reported rather than skipped: it may be the backup someone needs.
    public func manifests() async throws -> [BackupManifest] {
        var manifests: [BackupManifest] = []
        for object in try await store.listAll(prefix: folder) where object.key.rawValue.hasSuffix("/manifest.json") {
            let bytes = try await store.get(object.key).body.collect(upTo: 16 << 20)
            do {
                manifests.append(try BackupManifest.decode(Data(bytes)))
            } catch {
                throw BackupError.failed("the manifest \(object.key) cannot be read: \(error)")
            }
        }
        return manifests.sorted { $0.startedAt > $1.startedAt }
    }

    /// The backup with `id`, or the newest one for `latest`.
    public func manifest(_ id: String) async throws -> BackupManifest {
        if id == "latest" {
            guard let newest = try await manifests().first else {
                throw BackupError.notFound("there are no backups of '\(environment)' in \(describe())")
            }
            return newest
        }
        guard BackupID.isWellFormed(id) else {
            throw BackupError.notFound("'\(id)' is not a backup id (they look like 20261202T071947Z-3f9a)")
        }
        guard let head = try await store.head(try manifestKey(id)) else {
            throw BackupError.notFound("there is no backup \(id) of '\(environment)' in \(describe())")
        }
        let bytes = try await store.get(head.key).body.collect(upTo: 16 << 20)
        return try BackupManifest.decode(Data(bytes))
    }

    /// Writes (or replaces) the manifest; a store's put is atomic, so readers see the old
    /// manifest or the new one.
    public func write(_ manifest: BackupManifest) async throws {
        _ = try await store.put(
            try manifestKey(manifest.id),
            bytes: try manifest.encoded(),
            options: PutOptions(contentType: "application/json")
        )
    }

    /// The stored payload's bytes.
    public func payload(of manifest: BackupManifest) async throws -> ObjectBody {
        do {
            return try await store.get(try payloadKey(manifest.id)).body
        } catch StorageError.notFound {
            throw BackupError.payloadDamaged("its payload \(try payloadKey(manifest.id)) is missing from the store")
        }
    }

    /// Removes a backup: the manifest first, so that a delete cut short leaves an incomplete
    /// backup (cleaned up later), never a manifest without its payload.
    public func delete(_ id: String) async throws {
        try await store.delete(try manifestKey(id))
        try await store.delete(try payloadKey(id))
    }

    /// Ids with a payload but no manifest, and when their payload was written.
    public func incomplete() async throws -> [(id: String, writtenAt: Date?)] {
        let objects = try await store.listAll(prefix: folder)
        let withManifest = Set(
            objects.filter { $0.key.rawValue.hasSuffix("/manifest.json") }.map { $0.key.segments.dropLast().last }
        )
        return objects.filter { $0.key.rawValue.hasSuffix("/payload") }.compactMap { object in
            guard let id = object.key.segments.dropLast().last, !withManifest.contains(id) else { return nil }
            return (String(id), object.lastModified)
        }
    }

    /// The store, for messages.
    public func describe() -> String {
        StorageFactory.describe(store) + (prefix.isEmpty ? "" : " under \(prefix)")
    }
}
