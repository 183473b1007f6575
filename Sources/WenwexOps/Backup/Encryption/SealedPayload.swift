import Crypto
import Foundation
import NIOCore
import WenwexStorage

/// A backup payload encrypted with AES-256-GCM in authenticated chunks, so it streams in both
/// directions and every way of damaging it is detected before a byte of it is trusted.
///
/// The layout (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár):
///
///     header  = "WWXBAK1\0" | key-id length (1 byte) | key id | chunk size (4 bytes, BE)
///               | nonce prefix (7 random bytes)
///     chunk i = AES-GCM(key, nonce: prefix | i (4 bytes, BE) | last (1 byte: 0 or 1),
///                       additional data: header) → ciphertext | 16-byte tag
///
/// Every chunk but the last holds exactly `chunk size` bytes. A flipped byte fails that chunk's
/// tag; chunks swapped or dropped fail because their counter is part of the nonce; a payload cut
/// at a chunk boundary fails because its new last chunk was sealed as not-last; a wrong key
/// fails the first chunk; a changed header (another key id, chunk size or prefix) fails every
/// chunk.
enum SealedPayload {
    static let magic: [UInt8] = Array("WWXBAK1\0".utf8)
    static let tagSize = 16
    static let defaultChunkSize = 1 << 20

    /// `body`, encrypted with `key`. The first buffer is the header.
    static func seal(_ body: ObjectBody, with key: BackupKeyRing.Key, chunkSize: Int = defaultChunkSize) -> ObjectBody {
        ObjectBody {
            var header = magic
            header.append(UInt8(key.id.utf8.count))
            header += key.id.utf8
            header += withUnsafeBytes(of: UInt32(chunkSize).bigEndian, Array.init)
            let prefix = (0..<7).map { _ in UInt8.random(in: 0...255) }
            header += prefix
            let additional = header
            var input = body.makeAsyncIterator()
            var pending = ByteBuffer()
            var headerSent = false
            var counter: UInt32 = 0
            var inputEnded = false
            var finished = false

            func sealChunk(_ plain: ByteBuffer, last: Bool) throws -> ByteBuffer {
                let nonce = try AES.GCM.Nonce(data: nonceBytes(prefix, counter, last: last))
                counter += 1
                let box = try AES.GCM.seal(Array(plain.readableBytesView), using: key.key, nonce: nonce, authenticating: additional)
                var out = ByteBuffer()
                out.reserveCapacity(plain.readableBytes + tagSize)
                out.writeBytes(box.ciphertext)
                out.writeBytes(box.tag)
                return out
            }

            return {
                if !headerSent {
                    headerSent = true
                    return ByteBuffer(bytes: header)
                }
                guard !finished else { return nil }
                // More than a chunk is needed to know that the chunk is not the last.
                while !inputEnded, pending.readableBytes <= chunkSize {
                    if var next = try await input.next() {
                        pending.writeBuffer(&next)
                    } else {
                        inputEnded = true
                    }
                }
                if pending.readableBytes > chunkSize {
                    let chunk = pending.readSlice(length: chunkSize)!
                    pending.discardReadBytes()
                    return try sealChunk(chunk, last: false)
                }
                finished = true
                return try sealChunk(pending, last: true)
            }
        }
    }

    /// `body` decrypted with the ring's key that sealed it. Throws ``BackupError`` when the
    /// header names a key the ring lacks, or when any chunk fails to authenticate.
    static func open(_ body: ObjectBody, with ring: BackupKeyRing) -> ObjectBody {
        ObjectBody {
            var input = body.makeAsyncIterator()
            var pending = ByteBuffer()
            var inputEnded = false
            var finished = false
            var state: (key: BackupKeyRing.Key, chunkSize: Int, prefix: [UInt8], header: [UInt8])?
            var counter: UInt32 = 0

            func fill(toMoreThan count: Int) async throws {
                while !inputEnded, pending.readableBytes <= count {
                    if var next = try await input.next() {
                        pending.writeBuffer(&next)
                    } else {
                        inputEnded = true
                    }
                }
            }

            func readHeader() async throws -> (key: BackupKeyRing.Key, chunkSize: Int, prefix: [UInt8], header: [UInt8]) {
                try await fill(toMoreThan: magic.count)
                guard pending.readableBytes > magic.count,
                    pending.getBytes(at: pending.readerIndex, length: magic.count) == magic
                else {
                    throw BackupError.payloadDamaged("it is not an encrypted Wenwex backup (its header is missing)")
                }
                let idLength = Int(pending.getInteger(at: pending.readerIndex + magic.count, as: UInt8.self)!)
                let headerLength = magic.count + 1 + idLength + 4 + 7
                try await fill(toMoreThan: headerLength - 1)
                guard let header = pending.readBytes(length: headerLength) else {
                    throw BackupError.payloadDamaged("its encryption header is cut short")
                }
                let id = String(decoding: header[(magic.count + 1)..<(magic.count + 1 + idLength)], as: UTF8.self)
                let sizeBytes = header[(magic.count + 1 + idLength)..<(magic.count + 5 + idLength)]
                let chunkSize = Int(sizeBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
                guard (1...(64 << 20)).contains(chunkSize) else {
                    throw BackupError.payloadDamaged("its encryption header is damaged (chunk size \(chunkSize))")
                }
                guard let key = ring.key(id: id) else {
                    throw BackupError.keyUnavailable(
                        keyID: id,
                        configured: ring.all.map(\.id)
                    )
                }
                return (key, chunkSize, Array(header.suffix(7)), header)
            }

            func openChunk(_ sealed: ByteBuffer, last: Bool) throws -> ByteBuffer {
                guard let state else { throw BackupError.payloadDamaged("no header") }
                let bytes = Array(sealed.readableBytesView)
                let nonce = try AES.GCM.Nonce(data: nonceBytes(state.prefix, counter, last: last))
                counter += 1
                do {
                    let box = try AES.GCM.SealedBox(
                        nonce: nonce,
                        ciphertext: bytes.dropLast(tagSize),
                        tag: bytes.suffix(tagSize)
                    )
                    return ByteBuffer(bytes: try AES.GCM.open(box, using: state.key.key, authenticating: state.header))
                } catch {
                    throw BackupError.payloadDamaged(
                        last
                            ? "chunk \(counter - 1) does not authenticate: the payload was altered or cut short, or the key is not the one it was sealed with"
                            : "chunk \(counter - 1) does not authenticate: the payload was altered, reordered, or sealed with another key"
                    )
                }
            }

            return {
                guard !finished else { return nil }
                if state == nil { state = try await readHeader() }
                let sealedSize = state!.chunkSize + tagSize
                try await fill(toMoreThan: sealedSize)
                if pending.readableBytes > sealedSize {
                    let chunk = pending.readSlice(length: sealedSize)!
                    pending.discardReadBytes()
                    return try openChunk(chunk, last: false)
                }
                finished = true
                guard pending.readableBytes >= tagSize else {
                    throw BackupError.payloadDamaged("it is cut short: its last chunk is missing")
                }
                return try openChunk(pending, last: true)
            }
        }
    }

    /// Whether `bytes` start like a sealed payload (the header's magic).
    static func looksSealed(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: magic)
    }

    private static func nonceBytes(_ prefix: [UInt8], _ counter: UInt32, last: Bool) -> [UInt8] {
        prefix + withUnsafeBytes(of: counter.bigEndian, Array.init) + [last ? 1 : 0]
    }
}
