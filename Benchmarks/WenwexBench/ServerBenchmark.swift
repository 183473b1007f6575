import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import WenwexConfig
import WenwexMigrate
import WenwexOps
import WenwexRouting
import WenwexSQL
import WenwexSchema
import WenwexServer
import WenwexTestSupport

/// `WenwexBench server [--seconds N] [--connections N]`: the marketplace server under wrk on
/// loopback (a product read and a product list, from the seeded embedded SQLite database)
/// against a bare Hummingbird handler returning the same JSON bytes, in the same run.
///
/// The ratio is the price of everything the real server does per request (middleware, JWT
/// check when present, database read through the router, JSON encoding) over HTTP itself.
enum ServerBenchmark {
    struct Measurement {
        var requestsPerSecond: Double
        var p99Milliseconds: Double
    }

    static func run(seconds: Int, connections: Int, postgres: Bool) async throws {
        let logger = Logger(label: "wenwex.bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wenwex-bench-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let example = URL(fileURLWithPath: repositoryRoot()).appendingPathComponent("examples/marketplace")
        let sources = try SchemaLoader.load(
            path: example.appendingPathComponent("prisma/schema.prisma").path,
            relativeTo: "/"
        )
        let schema = SchemaCheck(sources: sources).schema
        let dialect: SQLDialect = postgres ? .postgres : .sqlite
        let folder = postgres ? "prisma/migrations" : "prisma/migrations-sqlite"
        let migrations = try MigrationDirectory(url: example.appendingPathComponent(folder)).migrations()
        let router: any DatabaseRouter
        var cluster: PostgresCluster?
        if postgres {
            let started = try await PostgresCluster.start(replicas: 1)
            cluster = started
            _ = try await started.createDatabase("bench")
            let url = { (node: PostgresNode) in try DatabaseURL(node.url(database: "bench") + "?sslmode=disable") }
            try await DatabaseConnector.withSession(try url(started.primary), logger: logger) { session in
                _ = try await MigrationDeployer(session: session, files: migrations).deploy()
                _ = try await Seeder(schema: schema, dialect: dialect).seed(session, count: 500, seed: 7)
            }
            try await started.waitForReplay()
            router = try PostgresRouter(
                endpoints: DatabaseEndpoints(
                    primary: .init(
                        role: .primary,
                        variable: "DATABASE_URL",
                        url: try url(started.primary),
                        source: .processEnvironment
                    ),
                    replicas: [
                        .init(
                            role: .replica,
                            variable: "DATABASE_REPLICA_URLS",
                            url: try url(started.replicas[0]),
                            source: .processEnvironment
                        )
                    ]
                ),
                logger: logger
            )
        } else {
            let path = directory.appendingPathComponent("bench.db").path
            try await DatabaseConnector.withSession(try DatabaseURL("file:\(path)"), logger: logger) { session in
                _ = try await MigrationDeployer(session: session, files: migrations).deploy()
                _ = try await Seeder(schema: schema, dialect: dialect).seed(session, count: 500, seed: 7)
            }
            router = try await SQLiteRouter.open(path: path, logger: logger)
        }
        do {
            try await measure(
                router: router,
                migrations: migrations,
                directory: directory,
                databaseDescription: postgres
                    ? "PostgreSQL primary + 1 streaming replica (reads on the replica)" : "the embedded SQLite default",
                seconds: seconds,
                connections: connections,
                logger: logger
            )
        } catch {
            try? await cluster?.destroy()
            throw error
        }
        try? await cluster?.destroy()
    }

    static func measure(
        router: any DatabaseRouter,
        migrations: [MigrationFile],
        directory: URL,
        databaseDescription: String,
        seconds: Int,
        connections: Int,
        logger: Logger
    ) async throws {
        let settings = ServerSettings(
            host: "127.0.0.1",
            port: 0,
            jwtSecret: "bench-secret-bench-secret-bench-secret",
            storageDirectory: directory.appendingPathComponent("storage")
        )
        let (wenwexPorts, wenwexPort) = AsyncStream.makeStream(of: Int.self)
        let wenwex = try await MarketplaceServer.makeApplication(
            settings: settings,
            database: router,
            migrations: migrations,
            logger: logger,
            onServerRunning: { wenwexPort.yield($0) }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await wenwex.run() }
            defer { group.cancelAll() }
            guard let port = await wenwexPorts.first(where: { _ in true }) else { return }
            let base = "http://127.0.0.1:\(port)"
            let firstPage = try await get(base + "/products?limit=20")
            let productID = try firstProductID(in: firstPage)
            let product = try await get(base + "/products/\(productID)")
            let targets = [
                ("product read", "/products/\(productID)", product),
                ("product list (20)", "/products?limit=20", firstPage),
            ]

            // The peer: Hummingbird alone, answering the same paths with the same bytes.
            let bare = Router()
            for (_, route, body) in targets {
                let path = String(route.split(separator: "?")[0])
                bare.get(RouterPath(path)) { _, _ in
                    Response(
                        status: .ok,
                        headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body))
                    )
                }
            }
            let (barePorts, barePort) = AsyncStream.makeStream(of: Int.self)
            let bareApplication = Application(
                router: bare,
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { barePort.yield($0.localAddress?.port ?? 0) },
                logger: logger
            )
            group.addTask { try await bareApplication.run() }
            guard let bareBase = await barePorts.first(where: { _ in true }).map({ "http://127.0.0.1:\($0)" }) else {
                return
            }

            print(
                "server on \(databaseDescription), 500 rows per table: wrk -t2 -c\(connections) -d\(seconds)s "
                    + "on loopback, the cores shared by wrk, the server and the database"
            )
            print("| request | Wenwex req/s | bare req/s | ratio | Wenwex p99 | bare p99 | p99 ratio |")
            print("|---|---|---|---|---|---|---|")
            for (name, route, _) in targets {
                _ = try await wrk(base + route, seconds: 2, connections: connections)
                _ = try await wrk(bareBase + route, seconds: 2, connections: connections)
                let real = try await wrk(base + route, seconds: seconds, connections: connections)
                let peer = try await wrk(bareBase + route, seconds: seconds, connections: connections)
                print(
                    "| \(name) | \(format(real.requestsPerSecond, 0)) | \(format(peer.requestsPerSecond, 0)) | "
                        + "\(format(real.requestsPerSecond / peer.requestsPerSecond, 2))× | "
                        + "\(format(real.p99Milliseconds, 2)) ms | \(format(peer.p99Milliseconds, 2)) ms | "
                        + "\(format(real.p99Milliseconds / peer.p99Milliseconds, 1))× |"
                )
            }
        }
    }

    static func get(_ url: String) async throws -> [UInt8] {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
        guard response.status == .ok else {
            throw BenchmarkError(description: "GET \(url) answered \(response.status)")
        }
        return Array(try await response.body.collect(upTo: 16 << 20).readableBytesView)
    }

    static func firstProductID(in page: [UInt8]) throws -> Int {
        guard let object = try JSONSerialization.jsonObject(with: Data(page)) as? [String: Any],
            let data = object["data"] as? [[String: Any]], let id = data.first?["id"] as? Int
        else { throw BenchmarkError(description: "the product list is empty") }
        return id
    }

    /// Runs wrk and reads its requests per second and 99th percentile latency.
    static func wrk(_ url: String, seconds: Int, connections: Int) async throws -> Measurement {
        let outcome = try await ChildProcess.run(
            "/usr/bin/env",
            ["wrk", "-t2", "-c\(connections)", "-d\(seconds)s", "--latency", url]
        )
        guard outcome.status == 0 else {
            throw BenchmarkError(description: "wrk failed (install Debian's wrk package): \(outcome.stderr)")
        }
        var measurement = Measurement(requestsPerSecond: 0, p99Milliseconds: 0)
        for line in outcome.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.first == "Requests/sec:", fields.count == 2 {
                measurement.requestsPerSecond = Double(fields[1]) ?? 0
            }
            if fields.first == "99%", fields.count == 2 {
                measurement.p99Milliseconds = milliseconds(String(fields[1]))
            }
            if line.contains("Non-2xx") {
                throw BenchmarkError(description: "wrk saw errors from \(url): \(line)")
            }
        }
        return measurement
    }

    static func milliseconds(_ text: String) -> Double {
        for (unit, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(unit) {
            return (Double(text.dropLast(unit.count)) ?? 0) * factor
        }
        return 0
    }

    static func format(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
