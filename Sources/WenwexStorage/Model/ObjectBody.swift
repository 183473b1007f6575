public import NIOCore

/// An object's bytes as a stream of buffers, so neither an upload nor a download ever holds a
/// whole object in memory.
public struct ObjectBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    let stream: AsyncThrowingStream<ByteBuffer, any Error>

    public init(_ stream: AsyncThrowingStream<ByteBuffer, any Error>) {
        self.stream = stream
    }

    /// Any sequence of buffers (an HTTP request body, a client's response body).
    public init<Source: AsyncSequence & Sendable>(_ source: Source) where Source.Element == ByteBuffer {
        self.stream = AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await buffer in source { continuation.yield(buffer) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Bytes already in memory (tests, small metadata objects).
    public static func bytes(_ bytes: some Sequence<UInt8>) -> ObjectBody {
        let buffer = ByteBuffer(bytes: Array(bytes))
        return ObjectBody(
            AsyncThrowingStream { continuation in
                if buffer.readableBytes > 0 { continuation.yield(buffer) }
                continuation.finish()
            }
        )
    }

    public func makeAsyncIterator() -> AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator {
        stream.makeAsyncIterator()
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

/// A download: what the object is, and its bytes (only the requested range).
public struct ObjectDownload: Sendable {
    public var info: ObjectInfo
    /// The range served, when one was asked for.
    public var range: ObjectRange?
    public var body: ObjectBody

    public init(info: ObjectInfo, range: ObjectRange?, body: ObjectBody) {
        self.info = info
        self.range = range
        self.body = body
    }
}
