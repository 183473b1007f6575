import Foundation
import Hummingbird
import NIOCore
import Synchronization
import Testing
import WenwexServer
import WenwexStorage

/// An edge node's purge API, as far as the origin can tell: it records what it was sent.
final class PurgeReceiver: Sendable {
    struct Received: Sendable {
        var authorization: String?
        var tags: [String]
        var paths: [String]
        var reason: String
    }

    struct SentEvent: Decodable {
        var tags: [String]
        var paths: [String]
        var reason: String
    }

    private let received = Mutex<[Received]>([])
    var all: [Received] { received.withLock { $0 } }

    /// Waits up to 10 s for `count` deliveries.
    func wait(for count: Int) async throws -> [Received] {
        let deadline = ContinuousClock.now + .seconds(10)
        while all.count < count {
            guard ContinuousClock.now < deadline else { throw TestFailure("only \(all.count) purge events arrived") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return all
    }

    /// Serves `POST /purge` on a loopback port while `body` runs.
    func serve<Value: Sendable>(_ body: (URL) async throws -> Value) async throws -> Value {
        let router = Router()
        router.post("purge") { request, _ -> HTTPResponse.Status in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let event = try JSONDecoder().decode(SentEvent.self, from: Data(bytes.readableBytesView))
            let authorization = request.headers[.authorization]
            self.received.withLock {
                $0.append(
                    .init(authorization: authorization, tags: event.tags, paths: event.paths, reason: event.reason)
                )
            }
            return .noContent
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: quietLogger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.run() }
            defer { group.cancelAll() }
            guard let port = await ports.first(where: { _ in true }) else { throw TestFailure("no purge receiver") }
            return try await body(URL(string: "http://127.0.0.1:\(port)/purge")!)
        }
    }
}

@Suite struct ImageLifecycleTests {
    let secondPNG = onePixelPNG + [1]

    func upload(_ client: TestClient, product: Int, _ bytes: [UInt8]) async throws -> (id: Int, url: String) {
        let response = try await client.send(
            .POST,
            "/products/\(product)/images",
            body: bytes,
            headers: [("Content-Type", "image/png")]
        )
        guard response.status == 201, let id = response.json["id"] as? Int, let url = response.json["url"] as? String
        else { throw TestFailure("upload failed: \(response.status) \(response.text)") }
        return (id, url)
    }

    @Test func deletingOrReplacingAnImagePurgesItAndRemovesTheObjectOnceUnused() async throws {
        let receiver = PurgeReceiver()
        try await receiver.serve { purgeURL in
            try await withTemporaryDirectory { directory in
                let (router, migrations) = try await migratedSQLite(in: directory)
                var settings = testSettings(storage: directory.appendingPathComponent("storage"))
                settings.purgeSinks = [HTTPPurgeSink(endpoint: purgeURL, token: "purge-token")]
                try await withRunningServer(database: router, migrations: migrations, settings: settings) { seller in
                    try await seller.signUp("lifecycle@example.com")
                    let camera = try await seller.createProduct("Camera", price: "10.00")
                    let lens = try await seller.createProduct("Lens", price: "5.00")
                    let first = try await upload(seller, product: camera, onePixelPNG)
                    let shared = try await upload(seller, product: lens, onePixelPNG)
                    #expect(first.url == shared.url, "the same bytes are stored once")

                    // Replaced: the camera's image now has new bytes; the old object stays for the lens.
                    let replaced = try await seller.send(
                        .PUT,
                        "/products/\(camera)/images/\(first.id)",
                        body: secondPNG,
                        headers: [("Content-Type", "image/png")]
                    )
                    #expect(replaced.status == 200, "\(replaced.text)")
                    let newURL = try #require(replaced.json["url"] as? String)
                    #expect(newURL != first.url && replaced.json["id"] as? Int == first.id)
                    var events = try await receiver.wait(for: 1)
                    #expect(
                        events[0].paths == [first.url] && events[0].tags.isEmpty && events[0].reason == "image replaced"
                    )
                    #expect(events[0].authorization == "Bearer purge-token")
                    #expect(try await seller.send(.GET, first.url).status == 200, "still the lens's image")

                    // Deleted, and now unused: the object goes, and caches drop its tag.
                    #expect(try await seller.send(.DELETE, "/products/\(lens)/images/\(shared.id)").status == 204)
                    events = try await receiver.wait(for: 2)
                    let hash = first.url.dropFirst("/images/".count).prefix(64)
                    #expect(events[1].tags == ["image-\(hash)"] && events[1].paths == [first.url])
                    #expect(try await seller.send(.GET, first.url).status == 404)
                    #expect(try await seller.send(.DELETE, "/products/\(lens)/images/\(shared.id)").status == 404)

                    // A deleted product takes its images along.
                    #expect(try await seller.send(.DELETE, "/products/\(camera)").status == 204)
                    events = try await receiver.wait(for: 3)
                    #expect(events[2].paths == [newURL] && events[2].reason == "product deleted")
                    #expect(try await seller.send(.GET, newURL).status == 404)

                    let stranger = seller.fresh()
                    try await stranger.signUp("not-the-seller@example.com")
                    let other = try await seller.createProduct("Tripod", price: "7.00")
                    let image = try await upload(seller, product: other, onePixelPNG)
                    #expect(try await stranger.send(.DELETE, "/products/\(other)/images/\(image.id)").status == 403)
                }
            }
        }
    }

    @Test func privateFilesAreServedOnlyThroughSignedURLsThatStayCacheable() async throws {
        try await withTemporaryDirectory { directory in
            let (router, migrations) = try await migratedSQLite(in: directory)
            let settings = testSettings(storage: directory.appendingPathComponent("storage"))
            try await withRunningServer(database: router, migrations: migrations, settings: settings) { owner in
                try await owner.signUp("files@example.com")
                let bytes = Array("a private invoice".utf8)
                let created = try await owner.send(
                    .POST,
                    "/files",
                    body: bytes,
                    headers: [("Content-Type", "text/plain")]
                )
                #expect(created.status == 201, "\(created.text)")
                let url = try #require(created.json["url"] as? String)
                let key = try #require(created.json["key"] as? String)
                let visitor = owner.fresh()

                let served = try await visitor.send(.GET, url)
                #expect(served.status == 200 && served.body == bytes)
                let maxAge = served.header("Cache-Control").flatMap { Int($0.split(separator: "=").last ?? "") } ?? -1
                #expect(served.header("Cache-Control")?.hasPrefix("public, max-age=") == true)
                #expect((3000...3900).contains(maxAge), "cacheable until the link expires: \(maxAge)")
                #expect(try await visitor.send(.HEAD, url).status == 200)

                let path = String(url.split(separator: "?")[0])
                #expect(try await visitor.send(.GET, path).status == 403, "unsigned")
                let tampered = url.replacingOccurrences(of: "sig=", with: "sig=A")
                #expect(try await visitor.send(.GET, tampered).status == 403)
                let later = url.replacingOccurrences(of: "expires=", with: "expires=9")
                #expect(try await visitor.send(.GET, later).status == 403, "a changed expiry breaks the signature")
                let expired = settings.urlSigner.sign(path: path, expires: Int(Date().timeIntervalSince1970) - 10)
                let refusal = try await visitor.send(.GET, expired)
                #expect(refusal.status == 403 && refusal.text.contains("expired"))

                // The owner gets the same URL again within the window: a CDN caches one URL.
                let again = try await owner.send(.GET, "/files/\(key)/url")
                #expect(again.status == 200 && again.json["url"] as? String == url)
                let stranger = owner.fresh()
                try await stranger.signUp("someone-else@example.com")
                #expect(try await stranger.send(.GET, "/files/\(key)/url").status == 403)
                #expect(try await visitor.send(.POST, "/files", body: bytes, authenticated: false).status == 401)
            }
        }
    }

    /// tus uploads of private files: resumable after a cut, each its owner's alone, and a file
    /// like any other once complete.
    @Test func privateFilesUploadResumablyAndOnlyTheirOwnerMayTouchTheUpload() async throws {
        try await withTemporaryDirectory { directory in
            let (router, migrations) = try await migratedSQLite(in: directory)
            let settings = testSettings(storage: directory.appendingPathComponent("storage"))
            try await withRunningServer(database: router, migrations: migrations, settings: settings) { owner in
                let ownerID = try #require(try await owner.signUp("tus@example.com")["id"] as? Int)
                let stranger = owner.fresh()
                try await stranger.signUp("not-the-owner@example.com")
                let visitor = owner.fresh()
                let tus = [("Tus-Resumable", "1.0.0")]
                let patch = tus + [("Content-Type", "application/offset+octet-stream")]
                let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

                #expect(
                    try await visitor.send(
                        .POST,
                        "/uploads",
                        headers: tus + [("Upload-Length", "10")],
                        authenticated: false
                    ).status == 401
                )
                let tooLarge = try await owner.send(
                    .POST,
                    "/uploads",
                    headers: tus + [("Upload-Length", String(settings.maxUploadBytes + 1))]
                )
                #expect(tooLarge.status == 413)
                let created = try await owner.send(
                    .POST,
                    "/uploads",
                    headers: tus + [("Upload-Length", String(bytes.count))]
                )
                #expect(created.status == 201, "\(created.text)")
                let location = try #require(created.header("Location"))
                let id = String(location.split(separator: "/").last ?? "")

                let first = try await owner.send(
                    .PATCH,
                    location,
                    body: Array(bytes[..<100_000]),
                    headers: patch + [("Upload-Offset", "0")]
                )
                #expect(first.status == 204 && first.header("Upload-Offset") == "100000")
                // Someone else's upload does not exist for them; without signing in, it needs a sign-in.
                #expect(try await stranger.send(.HEAD, location, headers: tus).status == 404)
                let hijack = try await stranger.send(
                    .PATCH,
                    location,
                    body: Array(bytes[100_000...]),
                    headers: patch + [("Upload-Offset", "100000")]
                )
                #expect(hijack.status == 404)
                #expect(try await stranger.send(.DELETE, location, headers: tus).status == 404)
                #expect(try await visitor.send(.HEAD, location, headers: tus, authenticated: false).status == 401)

                let resume = try await owner.send(.HEAD, location, headers: tus)
                #expect(resume.status == 200 && resume.header("Upload-Offset") == "100000")
                let rest = try await owner.send(
                    .PATCH,
                    location,
                    body: Array(bytes[100_000...]),
                    headers: patch + [("Upload-Offset", "100000")]
                )
                #expect(rest.status == 204 && rest.header("Upload-Offset") == String(bytes.count))

                let signed = try await owner.send(.GET, "/files/\(ownerID)/\(id)/url")
                #expect(signed.status == 200, "\(signed.text)")
                let url = try #require(signed.json["url"] as? String)
                let served = try await visitor.send(.GET, url, authenticated: false)
                #expect(served.status == 200 && served.body == bytes)
            }
        }
    }

    @Test func twoSigningKeysAreActiveDuringARotation() throws {
        let old = URLSigner(keys: [.init(id: "k1", secret: Data(repeating: 1, count: 32))])
        let rotated = URLSigner(keys: [
            .init(id: "k2", secret: Data(repeating: 2, count: 32)),
            .init(id: "k1", secret: Data(repeating: 1, count: 32)),
        ])
        let expires = URLSigner.expiry(validFor: .seconds(600))
        let signedBefore = old.query(path: "/files/1/x", expires: expires)
        var parameters: [String: String] = [:]
        for pair in signedBefore.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            parameters[String(parts[0])] = String(parts[1])
        }
        try rotated.verify(path: "/files/1/x", parameters: parameters)
        #expect(rotated.query(path: "/files/1/x", expires: expires).contains("kid=k2"), "new URLs use the new key")
    }
}
