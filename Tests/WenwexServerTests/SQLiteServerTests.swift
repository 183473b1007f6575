import AsyncHTTPClient
import Foundation
import Testing
import WenwexConfig
import WenwexMigrate
import WenwexRouting
import WenwexSQL
import WenwexStorage
import WenwexTestSupport

@Suite struct SQLiteServerTests {
    @Test func theMarketplaceWorksEndToEndOnTheEmbeddedDefault() async throws {
        try await withTemporaryDirectory { directory in
            let (router, migrations) = try await migratedSQLite(in: directory)
            let settings = testSettings(storage: directory.appendingPathComponent("storage"))
            try await withRunningServer(database: router, migrations: migrations, settings: settings) { client in
                let scenarios = MarketplaceScenarios(baseURL: client.baseURL, promoteToAdmin: adminPromoter(router))
                try await scenarios.runAll()
            }
        }
    }

    /// The image scenarios with images in S3 (moto on loopback) instead of the filesystem.
    @Test(.enabled(if: MotoAvailability.shouldRun))
    func imagesWorkTheSameOnS3() async throws {
        try await withTemporaryDirectory { directory in
            let (router, migrations) = try await migratedSQLite(in: directory)
            let endpoint = try await SharedMoto.endpoint()
            let bucket = "wenwex-images-\(UUID().uuidString.lowercased().prefix(8))"
            var create = HTTPClientRequest(url: endpoint.absoluteString + "/" + bucket)
            create.method = .PUT
            #expect(try await HTTPClient.shared.execute(create, timeout: .seconds(30)).status.code == 200)
            let s3 = S3ObjectStore(
                S3Configuration(
                    endpoint: endpoint,
                    region: "us-east-1",
                    bucket: bucket,
                    accessKeyID: "AKIDEXAMPLE",
                    secretAccessKey: "secret"
                )
            )
            var settings = testSettings(storage: directory.appendingPathComponent("unused"))
            settings.objectStore = s3
            try await withRunningServer(database: router, migrations: migrations, settings: settings) { client in
                let scenarios = MarketplaceScenarios(baseURL: client.baseURL, promoteToAdmin: adminPromoter(router))
                try await scenarios.images()
            }
            let stored = try await s3.listAll(prefix: "")
            #expect(stored.count == 1)
            #expect(stored.first?.key.rawValue.hasPrefix("images/") == true)
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("unused/objects").path))
        }
    }

    @Test func readinessIsFalseWhileAMigrationIsPendingAndTrueOnceDeployed() async throws {
        try await withTemporaryDirectory { directory in
            let (path, url, shipped, next) = try await Self.nextRelease(
                in: directory,
                adding: "index_product_stock",
                "CREATE INDEX \"products_stock_idx\" ON \"products\"(\"stock\");\n"
            )
            #expect(next.count == shipped.count + 1)

            let router = try await SQLiteRouter.open(path: path, logger: quietLogger)
            let settings = testSettings(storage: directory.appendingPathComponent("storage"))
            try await withRunningServer(database: router, migrations: next, settings: settings) { client in
                let pending = try await client.send(.GET, "/readyz")
                #expect(pending.status == 503)
                #expect(pending.json["pendingMigrations"] as? [String] == [next.last!.name])
                #expect(try await client.send(.GET, "/healthz").status == 200)

                try await Marketplace.deploy(next, to: url)
                let ready = try await client.send(.GET, "/readyz")
                #expect(ready.status == 200)
                #expect(ready.json["appliedMigrations"] as? Int == next.count)
            }
        }
    }

    @Test func aServerReportsItsHeadAndStaysReadyWhileAContractMigrationWaits() async throws {
        try await withTemporaryDirectory { directory in
            let (path, url, _, next) = try await Self.nextRelease(
                in: directory,
                adding: "drop_stock",
                "-- wenwex:contract\nALTER TABLE \"products\" DROP COLUMN \"stock\";\n"
            )
            let router = try await SQLiteRouter.open(path: path, logger: quietLogger)
            let settings = testSettings(storage: directory.appendingPathComponent("storage"))
            try await withRunningServer(database: router, migrations: next, settings: settings) { client in
                let ready = try await client.send(.GET, "/readyz")
                #expect(ready.status == 200, "a migration waiting for --contract does not make the server unready")
                #expect(ready.json["waitingForContract"] as? [String] == [next.last!.name])
                #expect(ready.json["migrationHead"] as? String == next.last!.name)
                // The heartbeat reported this server and the head it was built for.
                let deadline = ContinuousClock.now + .seconds(20)
                var running: [ServerRegistry.Server] = []
                while running.isEmpty, ContinuousClock.now < deadline {
                    running = try await DatabaseConnector.withSession(url) { session in
                        try await ServerRegistry(session).running(within: .seconds(30))
                    }
                    if running.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(running.map(\.migrationHead) == [next.last!.name])
            }
            // GracefulShutdownTests checks that a graceful stop takes it off again.
        }
    }

    /// A database with the shipped migrations applied, and the next release's folder: the
    /// shipped migrations and one more, not applied yet.
    static func nextRelease(in directory: URL, adding name: String, _ sql: String) async throws
        -> (path: String, url: DatabaseURL, shipped: [MigrationFile], next: [MigrationFile])
    {
        let path = directory.appendingPathComponent("dev.db").path
        let url = try DatabaseURL("file:\(path)")
        let shipped = try Marketplace.migrations(.sqlite)
        try await Marketplace.deploy(shipped, to: url)
        let folder = MigrationDirectory(url: directory.appendingPathComponent("migrations"))
        try FileManager.default.copyItem(
            at: Marketplace.root.appendingPathComponent("prisma/migrations-sqlite"),
            to: folder.url
        )
        _ = try folder.create(name: name, sql: sql)
        return (path, url, shipped, try folder.migrations())
    }
}
