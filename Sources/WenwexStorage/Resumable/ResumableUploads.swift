public import Foundation
import NIOCore

/// Resumable uploads (the tus protocol's model) kept in an object store, so any instance of a
/// server can take the next `PATCH` of an upload another instance started, and a client on a
/// bad connection resumes from the last byte the server kept instead of starting over.
///
/// Each accepted `PATCH` body becomes one chunk object (`tus/<id>/<offset>`), and the upload's
/// state (`tus/<id>/info.json`) advances only once the chunk is stored: a `PATCH` cut off in the
/// middle keeps nothing, and the client's `HEAD` then says where to resume. When the last byte
/// arrives the chunks are streamed into the final object in order and removed. Uploads not
/// finished before they expire are removed by ``sweepExpired(now:)``.
public struct ResumableUploads: Sendable {
    /// One upload's state, as `info.json` keeps it.
    public struct Upload: Codable, Sendable, Equatable {
        /// Hex digits and `-` only, at most 64 characters (a lower-case UUID by default): it names the
        /// upload's folder `tus/<id>/`.
        public var id: String
        /// The declared total size.
        public var length: Int
        /// Bytes stored so far: where the next `PATCH` must start.
        public var offset: Int
        /// `Upload-Metadata`, decoded (`filename`, `filetype`, …).
        public var metadata: [String: String]
        /// Past it, an unfinished upload is refused (``Failure/expired``) and ``sweepExpired(now:)``
        /// removes it.
        public var expires: Date
        /// The object the bytes become.
        public var destination: String
        /// The chunks stored so far, by starting offset.
        public var chunks: [Int]

        /// Every declared byte is stored.
        public var isComplete: Bool { offset == length }
    }

    /// The refusals a tus endpoint answers with a 4xx status.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// No upload has the id, or the id is not hex digits and dashes (tus: 404).
        case notFound
        /// The `PATCH` starts elsewhere than the stored offset (tus answers 409).
        case offsetMismatch(expected: Int)
        /// More bytes than the declared length (413), or a declared length over the limit.
        case tooLarge(limit: Int)
        /// The upload's ``Upload/expires`` passed before it completed (tus: 404 or 410).
        case expired

        /// A sentence for the client.
        public var description: String {
            switch self {
            case .notFound: "no such upload"
            case .offsetMismatch(let expected): "the upload continues at offset \(expected)"
            case .tooLarge(let limit): "the upload is larger than \(limit) bytes"
            case .expired: "the upload has expired"
            }
        }
    }

    /// Holds the chunks and state under `tus/`, and the finished objects.
    public let store: any ObjectStore
    /// The largest upload accepted (`Tus-Max-Size`).
    public var maxSize: Int
    /// How long an unfinished upload is kept.
    public var lifetime: Duration

    /// `maxSize` defaults to 5 GiB, `lifetime` to 24 hours.
    public init(store: any ObjectStore, maxSize: Int = 5 << 30, lifetime: Duration = .seconds(24 * 3600)) {
        self.store = store
        self.maxSize = maxSize
        self.lifetime = lifetime
    }

    /// Starts an upload of `length` bytes that will become `destination`; `id` (a UUID) is
    /// made when not given.
    public func create(
        id: String = UUID().uuidString.lowercased(),
        length: Int,
        metadata: [String: String],
        destination: ObjectKey,
        now: Date = Date()
    ) async throws -> Upload {
        _ = try Self.infoKey(id)
        guard length >= 0, length <= maxSize else { throw Failure.tooLarge(limit: maxSize) }
        let upload = Upload(
            id: id,
            length: length,
            offset: 0,
            metadata: metadata,
            expires: now.addingTimeInterval(TimeInterval(lifetime.components.seconds)),
            destination: destination.rawValue,
            chunks: []
        )
        try await save(upload)
        if length == 0 { try await finish(upload) }
        return upload
    }

    /// The upload's state; throws ``Failure/notFound`` or ``Failure/expired``.
    public func upload(_ id: String, now: Date = Date()) async throws -> Upload {
        guard let key = try? Self.infoKey(id), try await store.head(key) != nil else { throw Failure.notFound }
        let bytes = try await store.get(key).body.collect(upTo: 1 << 20)
        let upload = try Self.decoder.decode(Upload.self, from: Data(bytes))
        if upload.expires < now, !upload.isComplete { throw Failure.expired }
        return upload
    }

    /// Appends `body` at `offset`; returns the new state. The bytes count only once all of
    /// them are stored, and an upload counts as complete only once its object is: a last
    /// `PATCH` whose joining fails can be sent again. `PATCH`es of one upload in this process
    /// take turns: a second one waits for the first to end, then meets the offset check, so
    /// two cannot both count, and a client that resumes before the server noticed its cut
    /// request waits for that request to give up instead of being refused.
    public func append(_ id: String, offset: Int, body: ObjectBody, now: Date = Date()) async throws -> Upload {
        await Self.turns.begin(id)
        do {
            let upload = try await appendInTurn(id, offset: offset, body: body, now: now)
            await Self.turns.end(id)
            return upload
        } catch {
            await Self.turns.end(id)
            throw error
        }
    }

    private func appendInTurn(_ id: String, offset: Int, body: ObjectBody, now: Date) async throws -> Upload {
        var upload = try await upload(id, now: now)
        guard offset == upload.offset, !upload.isComplete else { throw Failure.offsetMismatch(expected: upload.offset) }
        let remaining = upload.length - upload.offset
        let counter = ByteCounter(limit: remaining)
        let limited = body.inspecting { try counter.add($0.readableBytes) }
        let chunk = try Self.chunkKey(id, offset: offset)
        do {
            _ = try await store.put(chunk, body: limited, options: .init())
        } catch let error as ByteCounter.Exceeded {
            _ = error
            try? await store.delete(chunk)
            throw Failure.tooLarge(limit: upload.length)
        } catch {
            try? await store.delete(chunk)
            throw error
        }
        let received = counter.count
        if received == 0 {
            try await store.delete(chunk)
            return upload
        }
        if !upload.chunks.contains(offset) { upload.chunks.append(offset) }
        upload.offset += received
        if upload.isComplete { try await finish(upload) }
        try await save(upload)
        return upload
    }

    /// Whose turn it is to append, per upload, in this process.
    private static let turns = UploadTurns()

    /// Removes an upload and everything it stored (tus's termination).
    public func terminate(_ id: String) async throws {
        let upload = try await upload(id, now: .distantPast)
        // Keys first, deletes after: see `finishingKeys` (an optimizer crash in release builds).
        var keys: [ObjectKey] = []
        for offset in upload.chunks { keys.append(try Self.chunkKey(id, offset: offset)) }
        keys.append(try Self.infoKey(id))
        for key in keys { try await store.delete(key) }
    }

    /// Removes every upload whose expiry has passed: an unfinished one with its chunks (counted
    /// in the result), a finished one's leftover state (its object stays). Returns how many
    /// unfinished uploads went.
    @discardableResult
    public func sweepExpired(now: Date = Date()) async throws -> Int {
        var removed = 0
        for object in try await store.listAll(prefix: "tus/") where object.key.rawValue.hasSuffix("/info.json") {
            let id = String(object.key.segments[1])
            guard let upload = try? await upload(id, now: .distantPast), upload.expires < now else { continue }
            try await terminate(id)
            if !upload.isComplete { removed += 1 }
        }
        return removed
    }

    /// Streams the chunks, in order, into the destination object, then removes them.
    func finish(_ upload: Upload) async throws {
        let store = self.store
        let (destination, keys) = try Self.finishingKeys(upload)
        let joined = ObjectBody {
            let joiner = ChunkJoiner(store: store, keys: keys)
            return { try await joiner.next() }
        }
        let options = PutOptions(contentType: upload.metadata["filetype"], metadata: [:])
        _ = try await store.put(destination, body: joined, options: options)
        for key in keys { try await store.delete(key) }
    }

    /// The destination and the chunks in order, worked out outside the async function: typed
    /// throws and a throwing `map` inside it crashed Swift 6.3.1's optimizer (coroutine
    /// splitting) in release builds.
    static func finishingKeys(_ upload: Upload) throws -> (destination: ObjectKey, chunks: [ObjectKey]) {
        var chunks: [ObjectKey] = []
        for offset in upload.chunks.sorted() { chunks.append(try chunkKey(upload.id, offset: offset)) }
        let destination: ObjectKey
        do { destination = try ObjectKey(upload.destination) } catch { throw error as any Error }
        return (destination, chunks)
    }

    func save(_ upload: Upload) async throws {
        _ = try await store.put(
            try Self.infoKey(upload.id),
            bytes: try Self.encoder.encode(upload),
            options: .init(contentType: "application/json")
        )
    }

    static func infoKey(_ id: String) throws -> ObjectKey {
        guard id.allSatisfy({ $0.isHexDigit || $0 == "-" }), !id.isEmpty, id.count <= 64 else { throw Failure.notFound }
        return try ObjectKey("tus/\(id)/info.json")
    }

    static func chunkKey(_ id: String, offset: Int) throws -> ObjectKey {
        _ = try infoKey(id)
        return try ObjectKey("tus/\(id)/\(String(offset).leftPadded(to: 16))")
    }

    /// Decodes tus's `Upload-Metadata`: comma-separated `key base64value` pairs.
    public static func decodeMetadata(_ header: String?) -> [String: String] {
        guard let header else { return [:] }
        var result: [String: String] = [:]
        for pair in header.split(separator: ",") {
            let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            guard let name = parts.first else { continue }
            let value =
                parts.count > 1
                ? Data(base64Encoded: String(parts[1])).flatMap { String(data: $0, encoding: .utf8) } : ""
            result[String(name)] = value ?? ""
        }
        return result
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

/// The chunk objects' bytes one after another, each chunk opened only when the previous ended.
///
/// A class with an async `next()` rather than a closure over a list of async closures: the
/// latter crashed Swift 6.3.1's optimizer (coroutine splitting) in release builds.
final class ChunkJoiner: @unchecked Sendable {
    // Used by one body iteration at a time.
    private let store: any ObjectStore
    private var keys: ArraySlice<ObjectKey>
    private var current: ObjectBody.AsyncIterator?

    init(store: any ObjectStore, keys: [ObjectKey]) {
        self.store = store
        self.keys = keys[...]
    }

    func next() async throws -> ByteBuffer? {
        while true {
            if current == nil {
                guard let key = keys.popFirst() else { return nil }
                current = try await store.get(key).body.makeAsyncIterator()
            }
            if let buffer = try await current?.next() { return buffer }
            current = nil
        }
    }
}

/// Counts a stream's bytes and stops it past a limit.
final class ByteCounter: @unchecked Sendable {
    struct Exceeded: Error {}
    // Updated by the one task feeding the stream, read after it finished.
    private let lock = NSLock()
    private var total = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    func add(_ count: Int) throws {
        lock.lock()
        defer { lock.unlock() }
        total += count
        if total > limit { throw Exceeded() }
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return total
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// One turn at a time per upload id, in arrival order.
actor UploadTurns {
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Returns once it is the caller's turn for `id`.
    func begin(_ id: String) async {
        guard waiting[id] != nil else {
            waiting[id] = []
            return
        }
        await withCheckedContinuation { waiting[id, default: []].append($0) }
    }

    /// Hands `id`'s turn to the next in line, or frees it.
    func end(_ id: String) {
        guard var queue = waiting[id], !queue.isEmpty else {
            waiting[id] = nil
            return
        }
        let next = queue.removeFirst()
        waiting[id] = queue
        next.resume()
    }
}
