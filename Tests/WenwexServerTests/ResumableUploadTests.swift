import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import Testing
import WenwexHummingbird
import WenwexStorage
import WenwexTestSupport

/// tus uploads cut in the middle and resumed, driven by our own requests and by a real tus
/// client (tuspy), over the filesystem store and S3.
@Suite struct ResumableUploadTests {
    /// Random bytes from the kernel: fast, off any long Swift loop (tests share two threads).
    static func bytes(_ count: Int) -> [UInt8] {
        let handle = FileHandle(forReadingAtPath: "/dev/urandom")!
        defer { try? handle.close() }
        // The throwing read, retried: readData(ofLength:) stops the process if a signal interrupts it.
        var bytes: [UInt8] = []
        while bytes.count < count {
            if let chunk = try? handle.read(upToCount: count - bytes.count) { bytes += chunk }
        }
        return bytes
    }

    /// A Hummingbird app with only the tus routes, on a free loopback port.
    static func withTusServer(
        _ store: any ObjectStore,
        _ body: (String, ResumableUploads) async throws -> Void
    ) async throws {
        let uploads = ResumableUploads(store: store, maxSize: 64 << 20)
        let router = Router()
        ResumableUploadRoutes(uploads: uploads) { id, metadata in
            try? ObjectKey("files/\(id)/\(metadata["filename"] ?? "upload")")
        }.register(on: router)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            let port = await ports.first { _ in true } ?? 0
            defer { group.cancelAll() }
            try await body("http://127.0.0.1:\(port)", uploads)
        }
    }

    static func request(
        _ method: HTTPMethod,
        _ url: String,
        headers: [(String, String)] = [],
        body: HTTPClientRequest.Body? = nil
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Tus-Resumable", value: "1.0.0")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = body }
        return try await HTTPClient.shared.execute(request, timeout: .seconds(60))
    }

    static func cutAndResume(_ store: any ObjectStore) async throws {
        let payload = bytes(3_000_000)
        try await withTusServer(store) { base, uploads in
            let options = try await request(.OPTIONS, base + "/uploads")
            #expect(options.headers.first(name: "Tus-Extension")?.contains("creation") == true)
            let created = try await request(
                .POST,
                base + "/uploads",
                headers: [
                    ("Upload-Length", String(payload.count)),
                    ("Upload-Metadata", "filename \(Data("clip.bin".utf8).base64EncodedString())"),
                ]
            )
            #expect(created.status == .created)
            let location = base + (created.headers.first(name: "Location") ?? "")
            let octets = [("Content-Type", "application/offset+octet-stream")]
            let first = try await request(
                .PATCH,
                location,
                headers: octets + [("Upload-Offset", "0")],
                body: .bytes(ByteBuffer(bytes: payload[0..<1_000_000]))
            )
            #expect(first.status == .noContent)
            #expect(first.headers.first(name: "Upload-Offset") == "1000000")
            let wrongOffset = try await request(
                .PATCH,
                location,
                headers: octets + [("Upload-Offset", "5")],
                body: .bytes(ByteBuffer(bytes: [1, 2, 3]))
            )
            #expect(wrongOffset.status == .conflict)

            // A PATCH whose connection dies halfway: the server keeps nothing of it.
            struct Cut: Error {}
            let half = Array(payload[1_000_000..<1_500_000])
            let cutBody = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
                continuation.yield(ByteBuffer(bytes: half))
                continuation.finish(throwing: Cut())
            }
            _ = try? await request(
                .PATCH,
                location,
                headers: octets + [("Upload-Offset", "1000000"), ("Content-Length", "2000000")],
                body: .stream(cutBody, length: .known(Int64(2_000_000)))
            )
            let head = try await request(.HEAD, location)
            #expect(head.status == .ok)
            let resumeAt = Int(head.headers.first(name: "Upload-Offset") ?? "") ?? -1
            #expect(resumeAt == 1_000_000)

            let rest = try await request(
                .PATCH,
                location,
                headers: octets + [("Upload-Offset", String(resumeAt))],
                body: .bytes(ByteBuffer(bytes: payload[resumeAt...]))
            )
            #expect(rest.status == .noContent)
            #expect(rest.headers.first(name: "Upload-Offset") == String(payload.count))
            let id = String(location.split(separator: "/").last ?? "")
            let stored = try await store.get(try ObjectKey("files/\(id)/clip.bin")).body.collect(upTo: 8 << 20)
            #expect(SHA256.hash(data: stored) == SHA256.hash(data: payload))
            // Nothing of the upload's working state is left once it completed… except its record.
            #expect(try await store.listAll(prefix: "tus/\(id)/").map(\.key.rawValue) == ["tus/\(id)/info.json"])

            // An abandoned upload is swept once it expired.
            let abandoned = try await uploads.create(length: 10, metadata: [:], destination: try ObjectKey("files/x"))
            _ = try await uploads.append(abandoned.id, offset: 0, body: .bytes([1, 2, 3]))
            #expect(try await uploads.sweepExpired(now: Date().addingTimeInterval(2 * 86_400)) == 1)
            #expect(try await store.listAll(prefix: "tus/\(abandoned.id)/").isEmpty)
        }
    }

    @Test func aCutUploadResumesToIdenticalBytesOnTheFilesystem() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-tus-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try await Self.cutAndResume(try FilesystemObjectStore(root: root))
    }

    @Test(.enabled(if: MotoAvailability.shouldRun))
    func aCutUploadResumesToIdenticalBytesOnS3() async throws {
        try await Self.cutAndResume(try await Self.s3Store())
    }

    /// tuspy, a tus client written by others: two chunks, a new client resuming from the
    /// server's offset, then the rest.
    @Test(.enabled(if: TuspyAvailability.shouldRun))
    func aRealTusClientUploadsAndResumes() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-tuspy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let payload = Self.bytes(2_500_000)
        let file = root.appendingPathComponent("movie.bin")
        try Data(payload).write(to: file)
        let store = try FilesystemObjectStore(root: root.appendingPathComponent("store"))
        try await Self.withTusServer(store) { base, _ in
            let script = """
                import sys
                from tusclient import client
                c = client.TusClient(sys.argv[1] + "/uploads")
                u = c.uploader(sys.argv[2], chunk_size=400000, metadata={"filename": "movie.bin"})
                u.upload_chunk(); u.upload_chunk()
                url = u.url
                # A new client, as after a crash: it asks the server where to continue.
                r = client.TusClient(sys.argv[1] + "/uploads").uploader(sys.argv[2], url=url, chunk_size=400000)
                assert r.offset == 800000, r.offset
                r.upload()
                print(url)
                """
            let outcome = try await ChildProcess.run("/usr/bin/env", ["python3", "-c", script, base, file.path])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let id =
                outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "/").last.map(
                    String.init
                ) ?? ""
            let stored = try await store.get(try ObjectKey("files/\(id)/movie.bin")).body.collect(upTo: 8 << 20)
            #expect(SHA256.hash(data: stored) == SHA256.hash(data: payload))
        }
    }

    static func s3Store() async throws -> S3ObjectStore {
        let endpoint = try await SharedMoto.endpoint()
        let bucket = "wenwex-tus-\(UUID().uuidString.lowercased().prefix(8))"
        var create = HTTPClientRequest(url: endpoint.absoluteString + "/" + bucket)
        create.method = .PUT
        _ = try await HTTPClient.shared.execute(create, timeout: .seconds(30))
        return S3ObjectStore(
            S3Configuration(
                endpoint: endpoint,
                region: "us-east-1",
                bucket: bucket,
                accessKeyID: "AKIDEXAMPLE",
                secretAccessKey: "secret"
            )
        )
    }
}
