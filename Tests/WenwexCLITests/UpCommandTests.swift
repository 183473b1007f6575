import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import WenwexConfig
import WenwexTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `wenwex up` as a new user runs it: a fresh copy of the example, nothing configured.
@Suite struct UpCommandTests {
    @Test func upBringsAFreshCloneToAServingPlatformAndTheBannerRequestsWork() async throws {
        let cli = try WenwexCLI(keepingMarketplaceSchema: true)
        defer { cli.remove() }
        let server = try RunningCommand(cli, ["up", "--port", "0"])
        let banner = try await server.waitForOutput(containing: "Try:", timeout: .seconds(120))
        let base = try #require(banner.firstMatch(of: /WENWEX is up on (http:\/\/127\.0\.0\.1:\d+)/)?.1).description
        #expect(banner.contains("Seeded"))
        #expect(FileManager.default.fileExists(atPath: cli.project.appendingPathComponent(".wenwex/dev.db").path))

        // The printed examples, run as printed: list, sign up, create a product with the token.
        let bodies = banner.matches(of: /-d '([^']*)'/).map { String($0.1) }
        #expect(bodies.count == 2)
        let list = try await fetch("GET", base + "/products?limit=3")
        #expect(list.status == 200)
        #expect(try list.object()["data"].flatMap { $0 as? [Any] }?.count == 3)
        let signUp = try await fetch("POST", base + "/auth/signup", json: bodies[0])
        #expect(signUp.status == 201)
        let token = try #require(try signUp.object()["token"] as? String)
        let product = try await fetch("POST", base + "/products", json: bodies[1], token: token)
        #expect(product.status == 201)
        #expect(try product.object()["title"] as? String == "Desk lamp")
        #expect(try await fetch("GET", base + "/readyz").status == 200)

        // Seeded data is usable: accounts sign in with the printed password, images are real.
        let email = try #require(banner.firstMatch(of: /for example (\S+@\S+)\./)?.1).description
        let seeded = try await fetch(
            "POST",
            base + "/auth/signin",
            json: #"{"email":"\#(email)","password":"wenwex-dev-password"}"#
        )
        #expect(seeded.status == 200)
        let products = try await fetch("GET", base + "/products?limit=100")
        let images = try (products.object()["data"] as? [[String: Any]] ?? []).flatMap {
            ($0["images"] as? [[String: Any]]) ?? []
        }
        let imageURL = try #require(images.first?["url"] as? String)
        let image = try await fetch("GET", base + imageURL)
        #expect(image.status == 200)
        #expect(image.body.starts(with: [0x89, 0x50, 0x4E, 0x47]))

        // Ctrl-C: a clean exit.
        #expect(try await server.stop(signal: SIGINT) == 0)

        // A second `up` keeps the data: nothing to migrate, nothing seeded; SIGTERM also stops it.
        let again = try RunningCommand(cli, ["up", "--port", "0"])
        let secondBanner = try await again.waitForOutput(containing: "Try:", timeout: .seconds(60))
        #expect(!secondBanner.contains("Seeded"))
        #expect(secondBanner.contains("0 applied now"))
        #expect(try await again.stop(signal: SIGTERM) == 0)
    }

    @Test func serveRefusesProdPointedAtTheDevDatabaseBeforeListening() async throws {
        let cli = try WenwexCLI(keepingMarketplaceSchema: true)
        defer { cli.remove() }
        let stamp = try await cli.run("db", "stamp", environment: ["DATABASE_URL": "file:shared.db"])
        #expect(stamp.status == 0, "\(stamp.stderr)")
        var environment = validProdSecrets
        environment["DATABASE_URL"] = "file:shared.db"
        let server = try RunningCommand(cli, ["serve", "--port", "0", "--migrate"], environment: environment)
        let status = try await server.waitForExit(timeout: .seconds(60))
        #expect(status == 2)
        #expect(server.output.contains("dev"), "\(server.output)")
        #expect(!server.output.contains("Serving"))
        #expect(!server.output.contains("Applying migration"))
    }

    @Test func upRefusesEveryTierButDev() async throws {
        let cli = try WenwexCLI(keepingMarketplaceSchema: true)
        defer { cli.remove() }
        let outcome = try await cli.run(
            "up",
            "--env",
            "staging",
            environment: [
                "DATABASE_URL": "file:staging.db", "JWT_SECRET": "staging-secret-staging-secret-staging-1",
            ]
        )
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("wenwex up"))
        #expect(!FileManager.default.fileExists(atPath: cli.project.appendingPathComponent("staging.db").path))
    }
}

struct HTTPResult {
    var status: Int
    var body: [UInt8]

    func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
    }
}

func fetch(_ method: String, _ url: String, json: String? = nil, token: String? = nil) async throws -> HTTPResult {
    var request = HTTPClientRequest(url: url)
    request.method = .init(rawValue: method)
    if let json {
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
    }
    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let body = try await response.body.collect(upTo: 1 << 20)
    return HTTPResult(status: Int(response.status.code), body: Array(body.readableBytesView))
}

/// A long-running `wenwex` command (a server), its output captured in a file.
final class RunningCommand: Sendable {
    let child: SpawnedChild
    let outputFile: URL

    init(
        _ cli: WenwexCLI,
        _ arguments: [String],
        environment: [String: String] = [:],
        executable: String = WenwexCLI.executable
    ) throws {
        outputFile = cli.project.appendingPathComponent("command-output-\(UUID().uuidString).log")
        var base = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": NSTemporaryDirectory(),
        ]
        base.merge(environment) { _, new in new }
        child = try SpawnedChild(
            executable,
            arguments,
            environment: base,
            directory: cli.project,
            input: .null,
            output: .file(outputFile.path),
            error: .other
        )
    }

    var output: String {
        (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    }

    func waitForOutput(containing text: String, timeout: Duration) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let current = output
            if current.contains(text) { return current }
            if let status = exitStatus() {
                throw TestFailure("wenwex exited with \(status) before printing '\(text)':\n\(current)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        _ = stopNow()
        throw TestFailure("timed out waiting for '\(text)':\n\(output)")
    }

    /// Waits for the command to end by itself; kills it and fails after `timeout`.
    func waitForExit(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus() { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        _ = stopNow()
        throw TestFailure("wenwex was still running after \(timeout):\n\(output)")
    }

    /// Sends `signal` and waits for the exit status (killing it after 20 s).
    func stop(signal: Int32) async throws -> Int32 {
        child.send(signal)
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let status = exitStatus() { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        _ = stopNow()
        throw TestFailure("wenwex did not exit after signal \(signal):\n\(output)")
    }

    /// Whether the command has ended (by itself or by a signal).
    var hasExited: Bool { exitStatus() != nil }

    private func stopNow() -> Int32? {
        child.send(SIGKILL)
        return exitStatus()
    }

    /// The exit status once the command has ended (128 plus the signal when one ended it).
    private func exitStatus() -> Int32? {
        child.endedYet()?.status
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
