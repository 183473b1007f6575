import Crypto
import Foundation
import Testing
import WenwexStorage

/// What every ``ObjectStore`` must do, run against each backend.
enum ObjectStoreScenarios {
    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Deterministic bytes, so a failure names an offset that can be inspected. Eight bytes a
    /// step: tests share two cooperative threads, and a byte-at-a-time loop over megabytes in a
    /// debug build held them long enough to starve timing tests.
    static func bytes(_ count: Int, seed: UInt8 = 7) -> [UInt8] {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
        var result = [UInt8](repeating: 0, count: count)
        result.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < count {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                var word = state
                let take = min(8, count - offset)
                withUnsafeBytes(of: &word) { raw.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: take) }
                offset += take
            }
        }
        return result
    }

    static func roundTripsRangesHeadDeleteAndCopy(_ store: some ObjectStore) async throws {
        let key = try ObjectKey("photos/2026/lamp 1.png")
        let payload = bytes(300_000)
        let stored = try await store.put(
            key,
            bytes: payload,
            options: PutOptions(contentType: "image/png", metadata: ["owner": "42"])
        )
        #expect(stored.size == payload.count)
        let download = try await store.get(key)
        #expect(sha256(try await download.body.collect(upTo: 1 << 20)) == sha256(payload))
        #expect(download.info.contentType == "image/png")
        let head = try #require(try await store.head(key))
        #expect(head.size == payload.count)
        #expect(head.metadata["owner"] == "42")

        let ranged = try await store.get(key, range: ObjectRange(10, 19))
        #expect(try await ranged.body.collect(upTo: 100) == Array(payload[10...19]))
        #expect(ranged.range == ObjectRange(10, 19))
        let clamped = try await store.get(key, range: ObjectRange(payload.count - 5, payload.count + 100))
        #expect(try await clamped.body.collect(upTo: 100) == Array(payload.suffix(5)))
        await #expect(throws: StorageError.self) {
            try await store.get(key, range: ObjectRange(payload.count + 1, payload.count + 9))
        }

        let copy = try ObjectKey("copies/lamp.png")
        _ = try await store.copy(key, to: copy)
        #expect(sha256(try await store.get(copy).body.collect(upTo: 1 << 20)) == sha256(payload))

        // Replacing is atomic and complete: the new bytes, all of them.
        let replacement = bytes(1000, seed: 9)
        _ = try await store.put(key, bytes: replacement)
        #expect(try await store.get(key).body.collect(upTo: 1 << 20) == replacement)

        try await store.delete(key)
        #expect(try await store.head(key) == nil)
        try await store.delete(key)  // deleting what is gone succeeds
        await #expect(throws: StorageError.notFound(key)) { try await store.get(key) }
        try await store.delete(copy)
    }

    static func listsByPrefixInPages(_ store: some ObjectStore) async throws {
        let names = (0..<7).map { "list/item-\($0)" } + ["listing-other/x", "other/y"]
        for name in names { _ = try await store.put(try ObjectKey(name), bytes: Array(name.utf8)) }
        var seen: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await store.list(prefix: "list/", token: token, limit: 3)
            #expect(page.objects.count <= 3)
            seen += page.objects.map(\.key.rawValue)
            token = page.nextToken
            pages += 1
        } while token != nil
        #expect(seen == (0..<7).map { "list/item-\($0)" })
        #expect(pages == 3)
        #expect(try await store.listAll(prefix: "other/").map(\.key.rawValue) == ["other/y"])
        for name in names { try await store.delete(try ObjectKey(name)) }
    }
}
