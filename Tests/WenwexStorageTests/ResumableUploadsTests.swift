import Foundation
import NIOCore
import Synchronization
import Testing

@testable import WenwexStorage

/// The resumable-upload model on the filesystem store: what concurrent and failed `PATCH`es
/// leave behind.
@Suite("Resumable uploads")
struct ResumableUploadsTests {
    static func withStore(_ body: (FilesystemObjectStore) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-tus-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try await body(try FilesystemObjectStore(root: root))
    }

    final class Gate: Sendable {
        let isOpen = Atomic(false)
    }

    /// A body that waits for `gate` before it yields `bytes`.
    static func slowBody(_ bytes: [UInt8], gate: Gate) -> ObjectBody {
        ObjectBody {
            var sent = false
            return {
                while !gate.isOpen.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(5)) }
                if sent { return nil }
                sent = true
                return ByteBuffer(bytes: bytes)
            }
        }
    }

    @Test func twoPatchesOfOneUploadAtOnceCannotBothCount() async throws {
        try await Self.withStore { store in
            let uploads = ResumableUploads(store: store)
            let upload = try await uploads.create(length: 10, metadata: [:], destination: try ObjectKey("images/a"))
            let gate = Gate()
            let first = Task {
                try await uploads.append(upload.id, offset: 0, body: Self.slowBody(Array("hello".utf8), gate: gate))
            }
            try await Task.sleep(for: .milliseconds(50))
            // The second waits its turn, then finds the offset moved on.
            let second = Task {
                try await uploads.append(upload.id, offset: 0, body: .bytes(Array("HELLO".utf8)))
            }
            try await Task.sleep(for: .milliseconds(50))
            gate.isOpen.store(true, ordering: .relaxed)
            #expect(try await first.value.offset == 5)
            await #expect(throws: ResumableUploads.Failure.offsetMismatch(expected: 5)) { try await second.value }
            let stored = try await uploads.upload(upload.id)
            #expect(stored.offset == 5 && stored.chunks == [0], "one chunk, counted once")
            _ = try await uploads.append(upload.id, offset: 5, body: .bytes(Array(" you!".utf8)))
            let object = try await store.get(try ObjectKey("images/a")).body.collect(upTo: 100)
            #expect(String(decoding: object, as: UTF8.self) == "hello you!")
        }
    }

    @Test func aLastPatchWhoseJoiningFailedCanBeSentAgain() async throws {
        try await Self.withStore { store in
            let uploads = ResumableUploads(store: store)
            // The destination's folder is a file: joining the chunks into it fails.
            _ = try await store.put(try ObjectKey("blocked"), bytes: Array("x".utf8))
            var upload = try await uploads.create(
                length: 4,
                metadata: [:],
                destination: try ObjectKey("blocked/a")
            )
            await #expect(throws: (any Error).self) {
                _ = try await uploads.append(upload.id, offset: 0, body: .bytes(Array("data".utf8)))
            }
            upload = try await uploads.upload(upload.id)
            #expect(upload.offset == 0 && !upload.isComplete, "not marked complete without its object")
            try await store.delete(try ObjectKey("blocked"))
            let done = try await uploads.append(upload.id, offset: 0, body: .bytes(Array("data".utf8)))
            #expect(done.isComplete)
            let joined = try await store.get(try ObjectKey("blocked/a")).body.collect(upTo: 10)
            #expect(String(decoding: joined, as: UTF8.self) == "data")
        }
    }

    @Test func theSweepRemovesExpiredStateOfFinishedUploadsButNotTheirObjects() async throws {
        try await Self.withStore { store in
            let uploads = ResumableUploads(store: store, lifetime: .seconds(60))
            let start = Date()
            let finished = try await uploads.create(
                length: 2,
                metadata: [:],
                destination: try ObjectKey("done"),
                now: start
            )
            _ = try await uploads.append(finished.id, offset: 0, body: .bytes([1, 2]), now: start)
            let unfinished = try await uploads.create(
                length: 2,
                metadata: [:],
                destination: try ObjectKey("half"),
                now: start
            )
            _ = try await uploads.append(unfinished.id, offset: 0, body: .bytes([1]), now: start)
            #expect(try await uploads.sweepExpired(now: start.addingTimeInterval(30)) == 0, "nothing expired yet")
            #expect(try await uploads.sweepExpired(now: start.addingTimeInterval(120)) == 1, "the unfinished one")
            #expect(try await store.listAll(prefix: "tus/").isEmpty, "no state or chunk left")
            #expect(try await store.head(try ObjectKey("done"))?.size == 2)
        }
    }
}
