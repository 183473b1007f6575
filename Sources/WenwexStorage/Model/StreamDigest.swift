public import Crypto
public import NIOCore
import Synchronization

/// The SHA-256 and length of the bytes a stream carried, fed from ``ObjectBody/inspecting(_:)``
/// as they pass, so checking a copy, a backup or an upload never takes a second read.
public final class StreamDigest: Sendable {
    private let state = Mutex((hash: SHA256(), count: 0))

    /// No bytes seen yet. Its state is behind a lock, so one task may feed it while another reads it.
    public init() {}

    /// Adds one buffer's readable bytes.
    public func add(_ buffer: ByteBuffer) {
        state.withLock { state in
            buffer.withUnsafeReadableBytes { state.hash.update(bufferPointer: $0) }
            state.count += buffer.readableBytes
        }
    }

    /// The bytes seen so far.
    public var count: Int { state.withLock { $0.count } }

    /// The SHA-256 of the bytes seen so far, lower-case hex.
    public func hex() -> String {
        state.withLock { $0.hash }.finalize().map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
        }.joined()
    }
}
