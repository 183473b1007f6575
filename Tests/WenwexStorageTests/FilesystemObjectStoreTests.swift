import Crypto
import Foundation
import Testing
import WenwexStorage

@Suite struct FilesystemObjectStoreTests {
    static func store() throws -> (FilesystemObjectStore, URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-storage-\(UUID().uuidString)")
        return (try FilesystemObjectStore(root: root), root)
    }

    @Test func roundTripsRangesHeadDeleteAndCopy() async throws {
        let (store, root) = try Self.store()
        defer { try? FileManager.default.removeItem(at: root) }
        try await ObjectStoreScenarios.roundTripsRangesHeadDeleteAndCopy(store)
        // Nothing left in tmp/: every upload was moved into place.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("tmp").path).isEmpty)
    }

    /// A put that stopped after its bytes were renamed into place but before its metadata was
    /// written: `head` sees bytes newer than their metadata and reads the truth off the bytes.
    @Test func bytesNewerThanTheirMetadataAreMeasuredAgain() async throws {
        let (store, root) = try Self.store()
        defer { try? FileManager.default.removeItem(at: root) }
        let key = try ObjectKey("images/a.png")
        _ = try await store.put(key, bytes: Array("one".utf8), options: PutOptions(contentType: "image/png"))
        let bytes = root.appendingPathComponent("objects/images/a.png")
        for content in ["owt", "three"] {
            try await Task.sleep(for: .milliseconds(20))
            try Data(content.utf8).write(to: bytes)
            let info = try #require(try await store.head(key))
            let digest = SHA256.hash(data: Data(content.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(info.size == content.utf8.count, "same size or not, the bytes decide")
            #expect(info.etag == digest)
            #expect(info.contentType == "image/png", "what the bytes cannot say comes from the old metadata")
            let again = try #require(try await store.head(key))
            #expect(again.etag == digest && again.size == info.size, "the repaired metadata was written")
        }
        let download = try await store.get(key).body.collect(upTo: 100)
        #expect(String(decoding: download, as: UTF8.self) == "three")
    }

    @Test func listsByPrefixInPages() async throws {
        let (store, root) = try Self.store()
        defer { try? FileManager.default.removeItem(at: root) }
        try await ObjectStoreScenarios.listsByPrefixInPages(store)
    }

    @Test func bytesLandUnderTheRootOnly() async throws {
        let (store, root) = try Self.store()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try await store.put(try ObjectKey("a/b.txt"), bytes: Array("x".utf8))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("objects/a/b.txt").path))
    }
}
