import AsyncHTTPClient
import Foundation
import NIOCore
import ServiceLifecycle
import Testing
import WenwexConfig
import WenwexMigrate
import WenwexRouting
import WenwexSQL
import WenwexServer

@Suite struct GracefulShutdownTests {
    /// SIGTERM arrives while an upload is still streaming in: the server stops accepting new
    /// connections but finishes that request, then exits.
    @Test func gracefulShutdownFinishesTheRequestInFlight() async throws {
        try await withTemporaryDirectory { directory in
            let (router, migrations) = try await migratedSQLite(in: directory)
            let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
            let application = try await MarketplaceServer.makeApplication(
                settings: testSettings(storage: directory.appendingPathComponent("storage")),
                database: router,
                migrations: migrations,
                logger: quietLogger,
                onServerRunning: { continuation.yield($0) }
            )
            let group = ServiceGroup(
                configuration: .init(services: [application], gracefulShutdownSignals: [], logger: quietLogger)
            )
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let port = try #require(await ports.first(where: { _ in true }))
                let client = TestClient(baseURL: "http://127.0.0.1:\(port)")
                try await client.signUp("seller@example.com")
                let product = try await client.createProduct("Slow upload", price: "1.00")

                var request = HTTPClientRequest(url: client.baseURL + "/products/\(product)/images")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(client.token ?? "")")
                request.headers.add(name: "Content-Type", value: "image/png")
                let halves = [Array(onePixelPNG.prefix(30)), Array(onePixelPNG.dropFirst(30))]
                let started = AsyncStream.makeStream(of: Void.self)
                request.body = .stream(
                    AsyncStream<ByteBuffer> { output in
                        Task {
                            output.yield(ByteBuffer(bytes: halves[0]))
                            started.continuation.yield()
                            try? await Task.sleep(for: .milliseconds(700))
                            output.yield(ByteBuffer(bytes: halves[1]))
                            output.finish()
                        }
                    },
                    length: .known(Int64(onePixelPNG.count))
                )
                async let response = HTTPClient.shared.execute(request, timeout: .seconds(30))
                _ = await started.stream.first(where: { _ in true })
                try await Task.sleep(for: .milliseconds(200))
                // The heartbeat reports as the server starts; a busy run may still be on its way.
                var registered = try await Self.registeredServers(in: directory)
                let deadline = ContinuousClock.now + .seconds(15)
                while registered.isEmpty, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                    registered = try await Self.registeredServers(in: directory)
                }
                #expect(registered.count == 1, "the heartbeat reported: \(registered)")
                await group.triggerGracefulShutdown()

                let finished = try await response
                #expect(finished.status == .created)
                let body = try await finished.body.collect(upTo: 1 << 16)
                #expect(String(buffer: body).contains("/images/"))
                // The service group ends once the server has drained.
                try await tasks.next()
                await #expect(throws: (any Error).self) {
                    _ = try await HTTPClient.shared.execute(
                        HTTPClientRequest(url: client.baseURL + "/healthz"),
                        timeout: .seconds(5)
                    )
                }
                // It took itself off the registry before the pools closed.
                #expect(try await Self.registeredServers(in: directory).isEmpty)
            }
        }
    }

    /// The servers `migrate deploy --contract` would see as running.
    static func registeredServers(in directory: URL) async throws -> [ServerRegistry.Server] {
        let url = try DatabaseURL("file:" + directory.appendingPathComponent("dev.db").path)
        return try await DatabaseConnector.withSession(url) { session in
            try await ServerRegistry(session).running(within: .seconds(30))
        }
    }
}
