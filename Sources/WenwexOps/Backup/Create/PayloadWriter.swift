import Foundation
import NIOCore
import Synchronization
import WenwexStorage

/// Stores a dump as a backup's payload: counted, sealed when a key is configured, hashed as it
/// is written, and refused outright when encryption is required and the bytes going out are
/// not sealed.
struct PayloadWriter: Sendable {
    var repository: BackupRepository
    var key: BackupKeyRing.Key?
    var requireEncryption: Bool

    struct Written: Sendable {
        var size: Int
        var sha256: String
        var dumpSize: Int
    }

    /// Refuses before anything is dumped when encryption is required and no key is configured.
    func checkEncryption() throws {
        if requireEncryption, key == nil {
            throw BackupError.encryptionRequired(
                "backups of this environment must be encrypted (BACKUP_ENCRYPTION=required), but BACKUP_ENCRYPTION_KEY is not set; nothing was written"
            )
        }
    }

    func write(_ dump: ObjectBody, id: String) async throws -> Written {
        try checkEncryption()
        let dumped = Atomic<Int>(0)
        var body = dump.inspecting { dumped.add($0.readableBytes, ordering: .relaxed) }
        if let key { body = SealedPayload.seal(body, with: key) }
        let stored = StreamDigest()
        let mustBeSealed = requireEncryption || key != nil
        body = body.inspecting { buffer in
            // The first bytes out must be a sealed header whenever encryption is on: a bug that
            // skipped sealing fails here instead of storing the data in clear.
            if stored.count == 0, mustBeSealed, !SealedPayload.looksSealed(buffer.readableBytesView) {
                throw BackupError.encryptionRequired("refusing to store an unencrypted payload for an encrypted backup")
            }
            stored.add(buffer)
        }
        let info = try await repository.store.put(
            try repository.payloadKey(id),
            body: body,
            options: PutOptions(contentType: "application/octet-stream")
        )
        guard info.size == stored.count else {
            throw BackupError.failed("the store recorded \(info.size) bytes for a payload of \(stored.count)")
        }
        return Written(size: stored.count, sha256: stored.hex(), dumpSize: dumped.load(ordering: .relaxed))
    }
}
