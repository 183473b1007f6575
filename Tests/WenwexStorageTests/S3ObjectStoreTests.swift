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
    }
}
