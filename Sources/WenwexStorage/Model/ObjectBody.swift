public import Foundation
public import NIOCore

/// An object's bytes as a stream of buffers, so neither an upload nor a download ever holds a
/// whole object in memory.
///
/// Pull-based: a buffer is read from the source only when the consumer asks for the next one,
/// so a slow store slows the reading of an upload (HTTP backpressure) instead of the bytes
/// piling up in memory. Single pass: iterate it once.
public struct ObjectBody: AsyncSequence, Sendable {
    /// One buffer of the object's bytes, as large as the source made it.
    public typealias Element = ByteBuffer

    /// Pulls the next buffer; `nil` at the end.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let pull: () async throws -> ByteBuffer?

        /// The next buffer, or `nil` at the end; throws the source's error.
        public mutating func next() async throws -> ByteBuffer? {
            try await pull()
        }
    }

    private let make: @Sendable () -> AsyncIterator

    /// A regular file the bytes are read from, whole, when the body is one (``file(_:chunk:)``):
    /// a store may then read parts of it in any order and more than once (the S3 store sends
    /// several parts at once straight from the file, hashing each first) instead of buffering
    /// the stream. `nil` for every other body, including an ``inspecting(_:)`` one.
    public let sourceFile: SourceFile?

    /// Where ``sourceFile`` is and how long it was when the body was made.
    public struct SourceFile: Sendable, Hashable {
        /// The file itself, opened afresh by every pass and every part read from it.
        public var url: URL
        /// Its length in bytes when the body was made: a pass reads at most this many, and the
        /// S3 store's part hashing refuses the upload when the file has become shorter.
        public var size: Int
    }

    /// A body whose buffers come from `makePull()`'s function, called once per iteration.
    public init(pull makePull: @escaping @Sendable () -> (() async throws -> ByteBuffer?)) {
        self.init(sourceFile: nil, pull: makePull)
    }

    init(sourceFile: SourceFile?, pull makePull: @escaping @Sendable () -> (() async throws -> ByteBuffer?)) {
        self.make = { AsyncIterator(pull: makePull()) }
        self.sourceFile = sourceFile
    }

    /// Any sequence of buffers (an HTTP request body, a client's response body).
    public init<Source: AsyncSequence & Sendable>(_ source: Source) where Source.Element == ByteBuffer {
        self.init {
            let box = IteratorBox(source.makeAsyncIterator())
            return { try await box.next() }
        }
    }

    /// Bytes already in memory (tests, small metadata objects).
    public static func bytes(_ bytes: some Sequence<UInt8>) -> ObjectBody {
        let buffer = ByteBuffer(bytes: Array(bytes))
        return ObjectBody {
            var sent = buffer.readableBytes == 0
            return {
                defer { sent = true }
                return sent ? nil : buffer
            }
        }
    }

    /// Starts a pass over the bytes. A body over a one-shot source (a request body) supports one pass
    /// only; ``bytes(_:)`` and ``file(_:chunk:)`` start afresh each time.
    public func makeAsyncIterator() -> AsyncIterator {
        make()
    }

    /// The same bytes with `inspect` run on each buffer as it passes (hashing, counting,
    /// limits); a throw from it ends the body with that error.
    public func inspecting(_ inspect: @escaping @Sendable (ByteBuffer) throws -> Void) -> ObjectBody {
        let base = self
        return ObjectBody {
            var iterator = base.makeAsyncIterator()
            return {
                guard let buffer = try await iterator.next() else { return nil }
                try inspect(buffer)
                return buffer
            }
        }
    }

    /// Reads everything, refusing more than `limit` bytes; for small objects only.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await buffer in self {
            guard bytes.count + buffer.readableBytes <= limit else {
                throw StorageError.refused("the object is larger than \(limit) bytes")
            }
            bytes += buffer.readableBytesView
        }
        return bytes
    }
}

/// Holds a source's iterator for the pull function of one iteration.
final class IteratorBox<Base: AsyncIteratorProtocol>: @unchecked Sendable where Base.Element == ByteBuffer {
    // Used by one iteration at a time, as every AsyncIterator is.
    private var base: Base

    init(_ base: Base) {
        self.base = base
    }

    func next() async throws -> ByteBuffer? {
        try await base.next()
    }
}

/// A download: what the object is, and its bytes (only the requested range).
public struct ObjectDownload: Sendable {
    /// The object's metadata; `size` is the whole object's, also when only a range was served.
    public var info: ObjectInfo
    /// The range served, when one was asked for.
    public var range: ObjectRange?
    /// The bytes served (only ``range`` when it is set); single pass.
    public var body: ObjectBody

    /// For stores written outside this module; the built-in stores make their downloads themselves.
    public init(info: ObjectInfo, range: ObjectRange?, body: ObjectBody) {
        self.info = info
        self.range = range
        self.body = body
    }
}

extension ObjectBody {
    /// A file's bytes, `chunk` bytes per pull, opened when the body is first read and closed
    /// at its end: an upload reads the file only as fast as the store takes it.
    public static func file(_ url: URL, chunk: Int = 1 << 20) throws -> ObjectBody {
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
        return segment(of: url, offset: 0, length: size, chunk: chunk, isWholeFile: true)
    }

    /// `length` bytes of a file from `offset`, `chunk` bytes per pull.
    static func segment(of url: URL, offset: Int, length: Int, chunk: Int = 1 << 20, isWholeFile: Bool = false)
        -> ObjectBody
    {
        ObjectBody(sourceFile: isWholeFile ? SourceFile(url: url, size: length) : nil) {
            let reader = FileChunkReader(url: url, start: offset, length: length, chunk: chunk)
            return { try reader.next() }
        }
    }
}
