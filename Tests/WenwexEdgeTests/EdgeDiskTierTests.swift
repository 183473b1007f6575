import Foundation
import HTTPTypes
import NIOCore
import Testing
import WenwexEdge

/// The optional disk tier behind the memory cache, with a real origin on loopback.
@Suite("Edge disk tier")
struct EdgeDiskTierTests {
    static func directory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-disk-tier-\(UUID().uuidString)")
    }

    /// Waits for the background writes to reach `entries` files.
    static func waitForWrites(_ disk: DiskCache, entries: Int) async throws {
        for _ in 0..<200 where disk.usage.entries < entries { try await Task.sleep(for: .milliseconds(10)) }
        #expect(disk.usage.entries == entries, "the disk tier has the stored responses")
    }

    static let body = String(repeating: "d", count: 3000)

    @Test func whatMemoryEvictsIsServedFromDiskNotTheOrigin() async throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let disk = try DiskCache(directory: directory, capacity: 1 << 20)
        try await withEdges(
            configure: {
                // Room in memory for one 3 KB response.
                $0.cacheBytes = 6000
                $0.maximumObjectSize = 4000
                $0.diskTier = disk
            }
        ) { origin, edges in
            for path in ["/a", "/b"] {
                origin.on(path) { _, count in
                    .init(headers: [.cacheControl: "max-age=600"], body: "\(count)" + Self.body)
                }
            }
            _ = try await edges[0].get("/a")
            _ = try await edges[0].get("/b")
            try await Self.waitForWrites(disk, entries: 2)
            #expect(edges[0].node.proxy.cache.usage.entries == 1, "memory kept only /b")
            let again = try await edges[0].get("/a")
            #expect(again.body == "1" + Self.body)
            #expect(again.headers["age"] != nil)
            #expect(origin.count("/a") == 1, "/a came from the disk tier")
            #expect(edges[0].node.proxy.cache.lookup("/a", requestHeaders: [:]) != nil, "and went back into memory")
        }
    }

    @Test func aRestartedNodeServesWhatItStoredBeforeAndPurgesReachTheDisk() async throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try DiskCache(directory: directory, capacity: 1 << 20)
        let tagged: HTTPFields = [.cacheControl: "max-age=600", HTTPField.Name("Surrogate-Key")!: "image-p"]
        try await withEdges(configure: { $0.diskTier = first }) { origin, edges in
            origin.on("/p") { _, _ in .init(headers: tagged, body: "kept") }
            origin.on("/q") { _, _ in .init(headers: [.cacheControl: "max-age=600", .vary: "Accept"], body: "varied") }
            _ = try await edges[0].get("/p")
            _ = try await edges[0].get("/q", [("Accept", "image/webp")])
            try await Self.waitForWrites(first, entries: 2)
        }

        // A new node on the same directory: its memory is empty, its disk tier is not.
        let second = try DiskCache(directory: directory, capacity: 1 << 20)
        #expect(second.usage.entries == 2, "the index is rebuilt from the files")
        try await withEdges(configure: { $0.diskTier = second }) { origin, edges in
            origin.on("/p") { _, _ in .init(headers: tagged, body: "fetched again") }
            origin.on("/q") { _, _ in .init(headers: [.cacheControl: "max-age=600", .vary: "Accept"], body: "other") }
            let kept = try await edges[0].get("/p")
            let stored = try await edges[0].get("/q", [("Accept", "image/webp")])
            let other = try await edges[0].get("/q", [("Accept", "image/png")])
            #expect(kept.body == "kept")
            #expect(stored.body == "varied", "the stored variant")
            #expect(other.body == "other", "another variant misses")
            #expect(origin.count("/p") == 0)
            #expect(origin.count("/q") == 1)

            // A purge by tag takes the entry from both tiers, and its file.
            #expect(edges[0].node.proxy.cache.remove(tag: "image-p") == 1)
            let refetched = try await edges[0].get("/p")
            #expect(refetched.body == "fetched again")
            #expect(origin.count("/p") == 1)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.filter { $0.hasPrefix(".writing-") }.isEmpty)
        let third = try DiskCache(directory: directory, capacity: 1 << 20)
        let purged = await third.lookup("/p", requestHeaders: [:])
        #expect(purged?.body == ByteBuffer(string: "fetched again"), "the purged copy did not come back")
    }

    @Test func theDiskTierStaysInItsBoundAndDropsWhatItCannotRead() async throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("not an entry".utf8).write(to: directory.appendingPathComponent("broken.entry"))
        try Data("half written".utf8).write(to: directory.appendingPathComponent(".writing-left-over"))
        let disk = try DiskCache(directory: directory, capacity: 10_000)
        #expect(disk.usage.entries == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)

        for index in 0..<6 {
            let response = StoredResponse(
                status: .ok,
                headers: [.cacheControl: "max-age=60"],
                body: ByteBuffer(string: String(repeating: "x", count: 3000)),
                requestTime: 1,
                responseTime: 2,
                selectingHeaders: [],
                tags: []
            )
            await disk.store(response, for: "/object-\(index)")
        }
        #expect(disk.usage.bytes <= 10_000)
        #expect(disk.usage.entries == 3)
        #expect(await disk.lookup("/object-0", requestHeaders: [:]) == nil, "the oldest went first")
        let newest = await disk.lookup("/object-5", requestHeaders: [:])
        #expect(newest?.body.readableBytes == 3000)
        #expect(newest?.responseTime == 2, "the clock readings survive, so ages stay right")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 3)
    }
}
