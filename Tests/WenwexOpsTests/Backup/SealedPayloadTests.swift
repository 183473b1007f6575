import Crypto
import Foundation
import NIOCore
import Testing
import WenwexStorage

@testable import WenwexOps

@Suite("Backup encryption") struct SealedPayloadTests {
    let ring = try! BackupKeyRing(current: Data((0..<32).map { UInt8($0) }).base64EncodedString())
    let chunk = 64

    func bytes(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) } }

    /// Sends `plain` in uneven pieces, so chunk boundaries never line up with buffers.
    func body(_ plain: [UInt8]) -> ObjectBody {
        var pieces: [ByteBuffer] = []
        var index = 0
        var step = 1
        while index < plain.count {
            let end = min(plain.count, index + step)
            pieces.append(ByteBuffer(bytes: plain[index..<end]))
            index = end
            step = step * 3 % 97 + 1
        }
        let all = pieces
        return ObjectBody {
            var iterator = all.makeIterator()
            return { iterator.next() }
        }
    }

    func sealed(_ plain: [UInt8]) async throws -> [UInt8] {
        try await SealedPayload.seal(body(plain), with: ring.current, chunkSize: chunk).collect(upTo: 1 << 24)
    }

    func opened(_ sealed: [UInt8], ring: BackupKeyRing? = nil) async throws -> [UInt8] {
        try await SealedPayload.open(body(sealed), with: ring ?? self.ring).collect(upTo: 1 << 24)
    }

    @Test(arguments: [0, 1, 63, 64, 65, 128, 200, 1000])
    func roundTripsEverySizeAroundTheChunkBoundaries(size: Int) async throws {
        let plain = bytes(size)
        let sealed = try await sealed(plain)
        #expect(SealedPayload.looksSealed(sealed))
        #expect(sealed.count > plain.count, "a header and a tag per chunk")
        #expect(try await opened(sealed) == plain)
        // The bytes do not show the plaintext.
        if size >= 64 { #expect(!sealed.contains(subsequence: plain.prefix(32))) }
    }

    @Test func aFlippedByteAnywhereIsDetected() async throws {
        let sealed = try await sealed(bytes(300))
        for position in stride(from: 0, to: sealed.count, by: 7) {
            var damaged = sealed
            damaged[position] ^= 0x01
            await #expect(throws: (any Error).self, "byte \(position)") { _ = try await opened(damaged) }
        }
    }

    @Test func aPayloadCutAtAChunkBoundaryOrInsideOneIsDetected() async throws {
        let sealed = try await sealed(bytes(300))
        let header = 8 + 1 + ring.current.id.utf8.count + 4 + 7
        let sealedChunk = chunk + 16
        for cut in [header, header + sealedChunk, header + 2 * sealedChunk, header + 10, sealed.count - 1] {
            await #expect(throws: BackupError.self, "cut at \(cut)") { _ = try await opened(Array(sealed.prefix(cut))) }
        }
    }

    @Test func swappedChunksAreDetected() async throws {
        let sealed = try await sealed(bytes(300))
        let header = 8 + 1 + ring.current.id.utf8.count + 4 + 7
        let size = chunk + 16
        var swapped = Array(sealed.prefix(header))
        swapped += sealed[(header + size)..<(header + 2 * size)]
        swapped += sealed[header..<(header + size)]
        swapped += sealed[(header + 2 * size)...]
        #expect(swapped.count == sealed.count)
        await #expect(throws: BackupError.self) { _ = try await opened(swapped) }
    }

    @Test func aWrongKeyIsNamedAndARetiredKeyStillOpens() async throws {
        let plain = bytes(500)
        let sealed = try await sealed(plain)
        let other = try BackupKeyRing(current: Data(repeating: 9, count: 32).base64EncodedString())
        do {
            _ = try await opened(sealed, ring: other)
            Issue.record("opened with the wrong key")
        } catch BackupError.keyUnavailable(let id, let configured) {
            #expect(id == ring.current.id)
            #expect(configured == [other.current.id])
        }
        // After a rotation, the old key opens old backups as a retired key.
        let rotated = try BackupKeyRing(
            current: Data(repeating: 9, count: 32).base64EncodedString(),
            retired: [Data((0..<32).map { UInt8($0) }).base64EncodedString()]
        )
        #expect(try await opened(sealed, ring: rotated) == plain)
    }

    @Test func aHeaderPointedAtAnotherKeyFailsToAuthenticate() async throws {
        // Same ring holds both keys; the header is rewritten to name the other one.
        let second = Data(repeating: 5, count: 32)
        let both = try BackupKeyRing(
            current: Data((0..<32).map { UInt8($0) }).base64EncodedString(),
            retired: [second.base64EncodedString()]
        )
        var sealed = try await sealed(bytes(100))
        let otherID = Array(both.all[1].id.utf8)
        #expect(otherID.count == ring.current.id.utf8.count)
        sealed.replaceSubrange(9..<(9 + otherID.count), with: otherID)
        await #expect(throws: BackupError.self) { _ = try await opened(sealed, ring: both) }
    }

    @Test func keysMustBeThirtyTwoBytesOfBase64() {
        #expect(throws: BackupKeyRing.InvalidKey.self) { try BackupKeyRing(current: "c2hvcnQ=") }
        #expect(throws: BackupKeyRing.InvalidKey.self) { try BackupKeyRing(current: "not base64 at all!") }
        let id = try? BackupKeyRing(current: Data(repeating: 1, count: 32).base64EncodedString()).current.id
        #expect(id?.hasPrefix("k-") == true && id?.count == 18)
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: some Collection<UInt8>) -> Bool {
        guard !subsequence.isEmpty, subsequence.count <= count else { return false }
        let needle = Array(subsequence)
        return (0...(count - needle.count)).contains { Array(self[$0..<($0 + needle.count)]) == needle }
    }
}
