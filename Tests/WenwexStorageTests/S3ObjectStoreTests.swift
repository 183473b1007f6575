import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import WenwexStorage
import WenwexTestSupport

/// The S3 backend against a real S3-speaking server on loopback (moto).
@Suite(.enabled(if: MotoAvailability.shouldRun))
struct S3ObjectStoreTests {
    /// A fresh bucket on the shared moto server.
    static func store(partSize: Int = 5 << 20, secret: String = "secret", region: String = "us-east-1") async throws
        -> S3ObjectStore
    {
        let endpoint = try await SharedMoto.endpoint()
        let bucket = "wenwex-\(UUID().uuidString.lowercased().prefix(12))"
        var request = HTTPClientRequest(url: endpoint.absoluteString + "/" + bucket)
        request.method = .PUT
        let created = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(created.status.code == 200)
        return S3ObjectStore(
            S3Configuration(
                endpoint: endpoint,
                region: region,
                bucket: bucket,
                accessKeyID: "AKIDEXAMPLE",
                secretAccessKey: secret,
                partSize: partSize
            )
        )
    }

    @Test func roundTripsRangesHeadDeleteAndCopy() async throws {
        try await ObjectStoreScenarios.roundTripsRangesHeadDeleteAndCopy(try await Self.store())
    }

    @Test func listsByPrefixInPages() async throws {
        try await ObjectStoreScenarios.listsByPrefixInPages(try await Self.store())
    }

    @Test func largeObjectsGoUpInPartsAndComeBackIdentical() async throws {
        let store = try await Self.store(partSize: 5 << 20)
        let payload = ObjectStoreScenarios.bytes(12 << 20, seed: 3)  // three parts
        let key = try ObjectKey("big/video.bin")
        // Streamed in uneven chunks, as an HTTP body arrives.
        let chunks = stride(from: 0, to: payload.count, by: 777_777).map {
            ByteBuffer(bytes: payload[$0..<min($0 + 777_777, payload.count)])
        }
        let body = ObjectBody(
            AsyncThrowingStream { continuation in
                for chunk in chunks { continuation.yield(chunk) }
                continuation.finish()
            }
        )
        let stored = try await store.put(key, body: body, options: .init(contentType: "application/octet-stream"))
        #expect(stored.size == payload.count)
        #expect(stored.etag.hasSuffix("-3"))
        let back = try await store.get(key).body.collect(upTo: 16 << 20)
        #expect(ObjectStoreScenarios.sha256(back) == ObjectStoreScenarios.sha256(payload))
        #expect(try await store.multipartUploadsInProgress().isEmpty)
    }

    /// A file goes up several parts at once, each read from the file as it is sent; a file that
    /// shrinks while it is read aborts the upload and leaves nothing.
    @Test func aFileGoesUpInPartsStraightFromTheFile() async throws {
        let store = try await Self.store(partSize: 5 << 20)
        let payload = ObjectStoreScenarios.bytes((5 << 20) * 3 + 12_345, seed: 5)  // four parts, the last short
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-parts-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(payload).write(to: url)
        let body = try ObjectBody.file(url)
        #expect(body.sourceFile?.size == payload.count)
        #expect(body.inspecting { _ in }.sourceFile == nil, "an inspected body must stream through its inspector")
        let stored = try await store.put(try ObjectKey("big/file.bin"), body: body, options: .init())
        #expect(stored.size == payload.count)
        #expect(stored.etag.hasSuffix("-4"), "\(stored.etag)")
        let back = try await store.get(try ObjectKey("big/file.bin")).body.collect(upTo: 32 << 20)
        #expect(ObjectStoreScenarios.sha256(back) == ObjectStoreScenarios.sha256(payload))

        // Cut short after the body was made: the size it promised no longer holds.
        let shrinking = try ObjectBody.file(url)
        try Data(payload.prefix(8 << 20)).write(to: url)
        await #expect(throws: (any Error).self) {
            try await store.put(try ObjectKey("big/shrunk.bin"), body: shrinking, options: .init())
        }
        #expect(try await store.multipartUploadsInProgress().isEmpty)
        #expect(try await store.head(try ObjectKey("big/shrunk.bin")) == nil)
    }

    @Test func anInterruptedMultipartUploadLeavesNothingBehind() async throws {
        struct Interrupted: Error {}
        let store = try await Self.store(partSize: 5 << 20)
        let part = ObjectStoreScenarios.bytes(5 << 20)
        let body = ObjectBody(
            AsyncThrowingStream { continuation in
                continuation.yield(ByteBuffer(bytes: part))
                continuation.yield(ByteBuffer(bytes: part))
                continuation.finish(throwing: Interrupted())
            }
        )
        await #expect(throws: Interrupted.self) {
            try await store.put(try ObjectKey("big/cut.bin"), body: body, options: .init())
        }
        #expect(try await store.multipartUploadsInProgress().isEmpty)
        #expect(try await store.head(try ObjectKey("big/cut.bin")) == nil)
    }

    @Test func aMissingBucketIsNamedWithItsFix() async throws {
        let endpoint = try await SharedMoto.endpoint()
        let store = S3ObjectStore(
            S3Configuration(
                endpoint: endpoint,
                region: "us-east-1",
                bucket: "no-such-bucket-\(UUID().uuidString.lowercased().prefix(8))",
                accessKeyID: "AKIDEXAMPLE",
                secretAccessKey: "secret"
            )
        )
        do {
            _ = try await store.put(try ObjectKey("a.txt"), bytes: Array("x".utf8))
            Issue.record("the put should have failed")
        } catch let error as StorageError {
            #expect(error.description.contains("does not exist"))
            #expect(error.description.contains("create it"))
        }
        // A get, a delete and a copy say so too, rather than "no such object" or success.
        let key = try ObjectKey("a.txt")
        let get = await #expect(throws: StorageError.self) { _ = try await store.get(key) }
        let delete = await #expect(throws: StorageError.self) { try await store.delete(key) }
        let copy = await #expect(throws: StorageError.self) {
            _ = try await store.copy(key, to: try ObjectKey("b.txt"))
        }
        for (name, error) in [("get", get), ("delete", delete), ("copy", copy)] {
            #expect(error?.description.contains("does not exist") == true, "\(name): \(String(describing: error))")
        }
    }
}
