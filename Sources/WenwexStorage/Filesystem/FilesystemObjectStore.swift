import Crypto
public import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An object store in a directory: the dev default (`.wenwex/storage`), and a store a test can
/// look inside.
///
/// Layout under the root: `objects/<key>` holds the bytes, `meta/<key>.json` the metadata,
/// `tmp/` uploads in progress. A `put` writes to `tmp/`, fsyncs, renames the bytes into place,
/// then writes the metadata (itself fsynced and renamed into place), fsyncing the folder after
/// each rename, so a crash or power cut leaves the old object or the new one, never half of
/// either. A crash between the two renames leaves new bytes beside the
/// old metadata: ``head(_:)`` sees the bytes are newer than their metadata and works the size
/// and SHA-256 out again from the bytes. Keys are ``ObjectKey``s, which cannot name a path
/// outside the root.
public struct FilesystemObjectStore: ObjectStore {
    /// The directory holding `objects/`, `meta/` and `tmp/`, standardized.
    public let root: URL
    /// How much a download reads at a time.
    public var chunkSize = 64 << 10

    /// Uses `root`, creating it and its three folders when missing; throws when they cannot be created.
    public init(root: URL) throws {
        self.root = root.standardizedFileURL
        for folder in ["objects", "meta", "tmp"] {
            try FileManager.default.createDirectory(
                at: self.root.appendingPathComponent(folder),
                withIntermediateDirectories: true
            )
        }
    }

    struct Metadata: Codable {
        var size: Int
        var sha256: String
        var contentType: String?
        var lastModified: Date
        var metadata: [String: String]
    }

    func objectURL(_ key: ObjectKey) -> URL {
        key.segments.reduce(root.appendingPathComponent("objects")) { $0.appendingPathComponent(String($1)) }
    }

    func metadataURL(_ key: ObjectKey) -> URL {
        let segments = key.segments
        let folder = segments.dropLast().reduce(root.appendingPathComponent("meta")) {
            $0.appendingPathComponent(String($1))
        }
        return folder.appendingPathComponent(String(segments.last!) + ".json")
    }

    /// Streams into `tmp/`, fsyncs, renames the bytes into place, then writes the metadata; the
    /// etag is the SHA-256 of the bytes.
    public func put(_ key: ObjectKey, body: ObjectBody, options: PutOptions) async throws -> ObjectInfo {
        let temporary = root.appendingPathComponent("tmp").appendingPathComponent(UUID().uuidString)
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw StorageError.unavailable("cannot create \(temporary.path)")
        }
        var hash = SHA256()
        var size = 0
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                for try await buffer in body {
                    buffer.withUnsafeReadableBytes { hash.update(bufferPointer: $0) }
                    try handle.write(contentsOf: Data(buffer.readableBytesView))
                    size += buffer.readableBytes
                }
                // fsync can take long on a busy disk: not on a cooperative thread.
                try await NIOThreadPool.singleton.runIfActive {
                    try handle.synchronize()
                    try handle.close()
                }
            } catch {
                try? handle.close()
                throw error
            }
            let digest = hash.finalize().map { String(format: "%02x", $0) }.joined()
            let metadata = Metadata(
                size: size,
                sha256: digest,
                contentType: options.contentType,
                lastModified: Date(),
                metadata: options.metadata
            )
            let destination = objectURL(key)
            try FileManager.default.createDirectory(
                at: destination.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try await NIOThreadPool.singleton.runIfActive {
                try DurableFile.rename(temporary, to: destination)
            }
            try await writeMetadata(metadata, for: key)
            return info(key, metadata)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Throws ``StorageError/rangeNotSatisfiable(_:size:)`` for a range that starts at or past the end
    /// (or ends before it starts); the file is opened only when the body is first read.
    public func get(_ key: ObjectKey, range: ObjectRange?) async throws -> ObjectDownload {
        guard let info = try await head(key) else { throw StorageError.notFound(key) }
        var served: ObjectRange?
        if let range {
            guard range.lower < info.size, range.lower >= 0, range.upper >= range.lower else {
                throw StorageError.rangeNotSatisfiable(key, size: info.size)
            }
            served = ObjectRange(range.lower, min(range.upper, info.size - 1))
        }
        let url = objectURL(key)
        let start = served?.lower ?? 0
        let length = served?.length ?? info.size
        let chunk = chunkSize
        // Opened when the body is read, read a chunk per pull, closed at the end.
        let body = ObjectBody {
            let reader = FileChunkReader(url: url, start: start, length: length, chunk: chunk)
            return { try reader.next() }
        }
        return ObjectDownload(info: info, range: served, body: body)
    }

    /// `nil` unless both the object's file and its metadata file exist.
    public func head(_ key: ObjectKey) async throws -> ObjectInfo? {
        let bytes = objectURL(key)
        guard let byteAttributes = try? FileManager.default.attributesOfItem(atPath: bytes.path) else { return nil }
        let metadataPath = metadataURL(key).path
        guard let data = FileManager.default.contents(atPath: metadataPath) else { return nil }
        var metadata = try Self.decoder.decode(Metadata.self, from: data)
        let bytesModified = byteAttributes[.modificationDate] as? Date
        let metadataModified =
            (try? FileManager.default.attributesOfItem(atPath: metadataPath))?[.modificationDate]
            as? Date
        if byteAttributes[.size] as? Int != metadata.size
            || (bytesModified != nil && metadataModified != nil && bytesModified! > metadataModified!)
        {
            // New bytes beside old metadata: a put stopped between its two renames.
            metadata = try await Self.repaired(metadata, bytes: bytes)
            try await writeMetadata(metadata, for: key)
        }
        return info(key, metadata)
    }

    /// `metadata` with the size and SHA-256 of the file at `bytes`, read off the cooperative pool.
    static func repaired(_ metadata: Metadata, bytes: URL) async throws -> Metadata {
        try await NIOThreadPool.singleton.runIfActive {
            let handle = try FileHandle(forReadingFrom: bytes)
            defer { try? handle.close() }
            let digest = StreamDigest()
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                digest.add(ByteBuffer(bytes: chunk))
            }
            var metadata = metadata
            metadata.size = digest.count
            metadata.sha256 = digest.hex()
            metadata.lastModified = Date()
            return metadata
        }
    }

    /// Removes the bytes and the metadata; it never throws, also when a removal fails for another
    /// reason than the object being gone.
    public func delete(_ key: ObjectKey) async throws {
        try? FileManager.default.removeItem(at: objectURL(key))
        try? FileManager.default.removeItem(at: metadataURL(key))
    }

    /// Walks and sorts every key under `objects/` on each call, so a page costs a scan of the whole
    /// store (fine in dev); `nextToken` is the page's last key.
    public func list(prefix: String, token: String?, limit: Int) async throws -> ObjectPage {
        let objects = root.appendingPathComponent("objects")
        var keys: [ObjectKey] = []
        if let enumerator = FileManager.default.enumerator(atPath: objects.path) {
            while let path = enumerator.nextObject() as? String {
                var isDirectory: ObjCBool = false
                guard
                    FileManager.default.fileExists(
                        atPath: objects.appendingPathComponent(path).path,
                        isDirectory: &isDirectory
                    ),
                    !isDirectory.boolValue, path.hasPrefix(prefix), let key = try? ObjectKey(path)
                else { continue }
                if let token, !(ObjectKey.byteOrder(token, key.rawValue)) { continue }
                keys.append(key)
            }
        }
        keys.sort()
        let page = Array(keys.prefix(max(limit, 1)))
        var infos: [ObjectInfo] = []
        for key in page {
            if let info = try await head(key) { infos.append(info) }
        }
        return ObjectPage(objects: infos, nextToken: keys.count > page.count ? page.last?.rawValue : nil)
    }

    /// Streams the bytes through this process (a directory has no server-side copy), keeping the
    /// content type and metadata.
    public func copy(_ source: ObjectKey, to destination: ObjectKey) async throws -> ObjectInfo {
        let download = try await get(source)
        return try await put(
            destination,
            body: download.body,
            options: PutOptions(contentType: download.info.contentType, metadata: download.info.metadata)
        )
    }

    /// Written beside the bytes through `tmp/`, fsynced and renamed into place (`DurableFile`),
    /// off the cooperative pool.
    func writeMetadata(_ metadata: Metadata, for key: ObjectKey) async throws {
        let url = metadataURL(key)
        let data = try Self.encoder.encode(metadata)
        let temporary = root.appendingPathComponent("tmp").appendingPathComponent(UUID().uuidString + ".json")
        try await NIOThreadPool.singleton.runIfActive {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try DurableFile.write(data, to: url, through: temporary)
        }
    }

    func info(_ key: ObjectKey, _ metadata: Metadata) -> ObjectInfo {
        ObjectInfo(
            key: key,
            size: metadata.size,
            etag: metadata.sha256,
            contentType: metadata.contentType,
            lastModified: metadata.lastModified,
            metadata: metadata.metadata
        )
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

extension ObjectKey {
    /// Whether `lhs` sorts before `rhs` in byte order.
    static func byteOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}

/// Reads a byte range of a file in chunks, on demand.
final class FileChunkReader: @unchecked Sendable {
    // Used by one body iteration at a time.
    private var handle: FileHandle?
    private var remaining: Int
    private let url: URL
    private let start: Int
    private let chunk: Int

    init(url: URL, start: Int, length: Int, chunk: Int) {
        self.url = url
        self.start = start
        self.remaining = length
        self.chunk = chunk
    }

    func next() throws -> ByteBuffer? {
        guard remaining > 0 else {
            close()
            return nil
        }
        if handle == nil {
            let opened = try FileHandle(forReadingFrom: url)
            try opened.seek(toOffset: UInt64(start))
            handle = opened
        }
        guard let data = try handle?.read(upToCount: min(chunk, remaining)), !data.isEmpty else {
            // A file shorter than its recorded size ends here for good: asked again, the reader
            // must not reopen it and send its first bytes a second time.
            remaining = 0
            close()
            return nil
        }
        remaining -= data.count
        return ByteBuffer(bytes: data)
    }

    func close() {
        try? handle?.close()
        handle = nil
    }

    deinit { try? handle?.close() }
}
