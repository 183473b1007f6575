import Crypto
import Foundation

/// Content-addressed image storage on the filesystem (the dev backend).
///
/// An image's key is the SHA-256 of its bytes plus its extension, so the same upload is stored
/// once and a URL never changes meaning: that is what lets `/images/<key>` be cached forever.
struct ImageStore: Sendable {
    let directory: URL

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

    /// Stores `bytes` and returns their key; writing the same bytes again is a no-op.
    func put(_ bytes: [UInt8], fileExtension: String) throws -> String {
        let hash = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let key = "\(hash).\(fileExtension)"
        let url = location(of: key)
        if FileManager.default.fileExists(atPath: url.path) { return key }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Write beside, then rename: a reader never sees half an image.
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).tmp")
        try Data(bytes).write(to: temporary)
        do {
            try FileManager.default.moveItem(at: temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if !FileManager.default.fileExists(atPath: url.path) { throw error }
        }
        return key
    }

    /// The stored bytes, or `nil` when nothing is stored under `key`.
    func get(_ key: String) throws -> Data? {
        let url = location(of: key)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try Data(contentsOf: url)
    }

    func location(of key: String) -> URL {
        directory.appendingPathComponent(String(key.prefix(2))).appendingPathComponent(key)
    }
}
