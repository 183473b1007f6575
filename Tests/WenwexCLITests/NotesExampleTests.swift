import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `examples/notes`, the ten-line Hummingbird app on WenwexHummingbird, run as built.
@Suite struct NotesExampleTests {
    static let executable = WenwexCLI.sibling("NotesExample")

    @Test func theExampleDeploysItsMigrationAndServesWithTheWenwexMiddleware() async throws {
        let cli = try WenwexCLI(example: "notes")
        defer { cli.remove() }
        let app = try RunningCommand(cli, [], environment: ["PORT": "0"], executable: Self.executable)
        let started = try await app.waitForOutput(containing: "notes listening on", timeout: .seconds(60))
        let base = try #require(started.firstMatch(of: /notes listening on (http:\/\/127\.0\.0\.1:\d+)/)?.1).description

        // A value that would break spliced SQL is stored as text; the write's token comes back.
        let hostile = #"it's "quoted"'); DROP TABLE "Note"; --"#
        let created = try await Self.send("POST", base + "/notes", json: ["body": hostile])
        #expect(created.status == 201)
        #expect(created.header("Wenwex-Consistency") != nil)
        #expect(created.header("Set-Cookie")?.hasPrefix("wenwex_consistency=") == true)
        #expect(created.header("X-Request-Id")?.isEmpty == false)
        let list = try await Self.send("GET", base + "/notes")
        let notes = try #require(try list.object()["notes"] as? [[String: Any]])
        #expect(notes.map { $0["body"] as? String } == [hostile])

        // Problems are problem+json with the request id; unknown routes too.
        let invalid = try await Self.send("POST", base + "/notes", json: ["body": " "], requestID: "trace-123")
        #expect(invalid.status == 422)
        #expect(invalid.header("Content-Type") == "application/problem+json")
        #expect(try invalid.object()["requestId"] as? String == "trace-123")
        #expect(try await Self.send("GET", base + "/nowhere").status == 404)

        let ready = try await Self.send("GET", base + "/readyz")
        #expect(ready.status == 200)
        #expect(try ready.object()["appliedMigrations"] as? Int == 1)
        let metrics = String(decoding: try await Self.send("GET", base + "/metrics").body, as: UTF8.self)
        #expect(metrics.contains(#"http_requests_total{method="POST",route="/notes",status="201"} 1"#))

        #expect(try await app.stop(signal: SIGTERM) == 0)
        #expect(app.output.contains("applying migration"))
        // The database it made is the one the CLI manages: nothing pending.
        let status = try await cli.run("migrate", "status")
        #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
    }

    @Test func prodWithoutADatabaseStopsBeforeListening() async throws {
        let cli = try WenwexCLI(example: "notes")
        defer { cli.remove() }
        let app = try RunningCommand(
            cli,
            [],
            environment: ["PORT": "0", "WENWEX_ENV": "prod"],
            executable: Self.executable
        )
        #expect(try await app.waitForExit(timeout: .seconds(60)) == 1)
        #expect(app.output.contains("DATABASE_URL"))
        #expect(!app.output.contains("listening"))
    }

    struct Reply {
        var status: Int
        /// By lowercased name; the last value wins.
        var headers: [String: String]
        var body: [UInt8]

        func header(_ name: String) -> String? { headers[name.lowercased()] }

        func object() throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        }
    }

    static func send(
        _ method: String,
        _ url: String,
        json: [String: String]? = nil,
        requestID: String? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        if let requestID { request.headers.add(name: "X-Request-Id", value: requestID) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for (name, value) in response.headers { headers[name.lowercased()] = value }
        return Reply(status: Int(response.status.code), headers: headers, body: Array(body.readableBytesView))
    }
}
