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
