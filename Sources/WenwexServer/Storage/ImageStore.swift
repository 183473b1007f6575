import Crypto
import Foundation
import NIOCore
import Synchronization
import WenwexStorage

/// Content-addressed product images in the environment's object store (`images/<key>`).
///
/// An image's key is the SHA-256 of its bytes plus its extension, so the same upload is stored
/// once and a URL never changes meaning: that is what lets `/images/<key>` be cached forever.
/// Uploads stream into the store under a temporary key while they are hashed and checked, then
/// are copied to their content address; nothing is held whole in memory.
struct ImageStore: Sendable {
    let objects: any ObjectStore

    /// The types accepted, by their first bytes; the declared `Content-Type` must agree.
    static let formats: [(contentType: String, fileExtension: String, magic: [UInt8])] = [
        ("image/png", "png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ("image/jpeg", "jpg", [0xFF, 0xD8, 0xFF]),
        ("image/gif", "gif", Array("GIF8".utf8)),
        ("image/webp", "webp", Array("RIFF".utf8)),
    ]

    /// The content type of `bytes` judged by their signature, or `nil` when it is not an image
    /// this store accepts.
    static func sniff(_ bytes: some Collection<UInt8>) -> (contentType: String, fileExtension: String)? {
        for format in formats where bytes.starts(with: format.magic) {
            if format.fileExtension == "webp" {
                guard bytes.count >= 12, Array(bytes.dropFirst(8).prefix(4)) == Array("WEBP".utf8) else { continue }
            }
            return (format.contentType, format.fileExtension)
        }
        return nil
    }

    static func contentType(ofKey key: String) -> String? {
        let ext = key.split(separator: ".").last.map(String.init)
        return formats.first { $0.fileExtension == ext }?.contentType
    }

    /// A key as `put` makes them: 64 lowercase hex digits, a dot, a known extension.
    static func isValidKey(_ key: String) -> Bool {
        let parts = key.split(separator: ".")
        return parts.count == 2 && parts[0].count == 64
            && parts[0].allSatisfy { $0.isHexDigit && !$0.isUppercase } && contentType(ofKey: key) != nil
    }

    /// The object holding image `key`.
    static func objectKey(_ key: String) throws -> ObjectKey {
        try ObjectKey("images/" + key)
    }

    /// Why an upload was refused.
    enum UploadRefusal: Error, Equatable {
        case tooLarge
        /// The first bytes are not an image of the declared type.
        case notDeclaredType
    }

    /// Streams `body` into the store, refusing more than `limit` bytes or bytes that are not a
    /// `declared` image; returns the image's key and size.
    func put<Body: AsyncSequence & Sendable>(body: Body, declared: String, limit: Int) async throws -> (
        key: String, size: Int
    ) where Body.Element == ByteBuffer {
        let check = UploadCheck(declared: declared, limit: limit)
        let temporary = try ObjectKey("uploads/\(UUID().uuidString.lowercased())")
        // Checked as the bytes pass, so a refused upload stops while it streams; the end
        // of the body is where a short upload's type is judged.
        let checked = ObjectBody(body).inspecting { try check.consume($0) }
        _ = try await objects.put(temporary, body: checked, options: PutOptions(contentType: declared))
        do {
            try check.finish()
            let (digest, size, fileExtension) = try check.result()
            let key = "\(digest).\(fileExtension)"
            let destination = try Self.objectKey(key)
            if try await objects.head(destination) == nil {
                _ = try await objects.copy(temporary, to: destination)
            }
            try await objects.delete(temporary)
            return (key, size)
        } catch {
            try? await objects.delete(temporary)
            throw error
        }
    }

    /// Stores bytes already in memory (dev data); writing the same bytes again is a no-op.
    func put(_ bytes: [UInt8], fileExtension: String) async throws -> String {
        let hash = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let key = "\(hash).\(fileExtension)"
        let destination = try Self.objectKey(key)
        if try await objects.head(destination) == nil {
            _ = try await objects.put(
                destination,
                bytes: bytes,
                options: PutOptions(contentType: Self.contentType(ofKey: key))
            )
        }
        return key
    }
}

/// Hashes, counts and sniffs an upload as it streams past.
final class UploadCheck: Sendable {
    private struct State {
        var hash = SHA256()
        var size = 0
        var prefix: [UInt8] = []
        var sniffed: (contentType: String, fileExtension: String)?
    }

    private let state = Mutex(State())
    let declared: String
    let limit: Int

    init(declared: String, limit: Int) {
        self.declared = declared
        self.limit = limit
    }

    func consume(_ buffer: ByteBuffer) throws(ImageStore.UploadRefusal) {
        try state.withLock { (state) throws(ImageStore.UploadRefusal) in
            state.size += buffer.readableBytes
            guard state.size <= limit else { throw .tooLarge }
            buffer.withUnsafeReadableBytes { state.hash.update(bufferPointer: $0) }
            if state.sniffed == nil, state.prefix.count < 12 {
                state.prefix += buffer.readableBytesView.prefix(12 - state.prefix.count)
                if state.prefix.count >= 12 { try Self.sniff(&state, declared: declared) }
            }
        }
    }

    func finish() throws(ImageStore.UploadRefusal) {
        try state.withLock { (state) throws(ImageStore.UploadRefusal) in
            if state.sniffed == nil { try Self.sniff(&state, declared: declared) }
        }
    }

    func result() throws(ImageStore.UploadRefusal) -> (digest: String, size: Int, fileExtension: String) {
        try state.withLock { (state) throws(ImageStore.UploadRefusal) in
            guard let sniffed = state.sniffed else { throw .notDeclaredType }
            let digest = state.hash.finalize().map { String(format: "%02x", $0) }.joined()
            return (digest, state.size, sniffed.fileExtension)
        }
    }

    private static func sniff(_ state: inout State, declared: String) throws(ImageStore.UploadRefusal) {
        guard let sniffed = ImageStore.sniff(state.prefix), sniffed.contentType == declared else {
            throw .notDeclaredType
        }
        state.sniffed = sniffed
    }
}
