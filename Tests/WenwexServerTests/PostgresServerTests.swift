import Foundation
import Testing
import WenwexAccess
import WenwexConfig
import WenwexMigrate
import WenwexRouting
import WenwexSQL
import WenwexTestSupport

@Suite(
    .serialized,
    .enabled(if: PostgresAvailability.shouldRun, "PostgreSQL is not installed (scripts/test installs it)")
)
struct PostgresServerTests {
    /// Creates and migrates the marketplace database on `cluster`; returns its endpoints (the
    /// primary and every replica) and the migrations.
    func marketplace(on cluster: PostgresCluster) async throws -> (DatabaseEndpoints, [MigrationFile]) {
        _ = try await cluster.createDatabase("marketplace")
        func url(_ node: PostgresNode) throws -> DatabaseURL {
            try DatabaseURL(node.url(database: "marketplace") + "?sslmode=disable")
        }
        let migrations = try Marketplace.migrations(.postgres)
        try await Marketplace.deploy(migrations, to: try url(cluster.primary))
        try await cluster.waitForReplay()
        let endpoints = DatabaseEndpoints(
            primary: .init(
                role: .primary,
                variable: "DATABASE_URL",
                url: try url(cluster.primary),
                source: .processEnvironment
            ),
            replicas: try cluster.replicas.map {
                .init(role: .replica, variable: "DATABASE_REPLICA_URLS", url: try url($0), source: .processEnvironment)
            }
        )
        return (endpoints, migrations)
    }

    @Test func writesAnswer503WithRetryAfterWhileThePrimaryIsDownAndReadsGoOn() async throws {
        try await PostgresCluster.withCluster(replicas: 1) { cluster in
            let (endpoints, migrations) = try await marketplace(on: cluster)
            var options = RoutingOptions()
            options.probeInterval = .milliseconds(100)
            options.connectTimeout = .seconds(3)
            options.connectionsPerNode = 4
            let router = try PostgresRouter(endpoints: endpoints, options: options, logger: quietLogger)
            try await withTemporaryDirectory { directory in
                try await withRunningServer(
                    database: router,
                    migrations: migrations,
                    settings: testSettings(storage: directory)
                ) {
                    client in
                    let seller = TestClient(baseURL: client.baseURL)
                    try await seller.signUp("seller@example.com")
                    let product = try await seller.createProduct("Lamp", price: "12.50")
                    try await cluster.waitForReplay()
                    try await cluster.stop(cluster.primary, mode: .fast)

                    for _ in 0..<2 {  // the write that finds the primary gone, and one after it
                        let refused = try await seller.send(
                            .POST,
                            "/products",
                            json: #"{"title":"Desk","price":"80.00","stock":1}"#
                        )
                        #expect(refused.status == 503, "\(refused.status) \(refused.text)")
                        #expect(refused.header("Content-Type") == "application/problem+json")
                        #expect(refused.header("Retry-After") == "5")
                        #expect((refused.json["type"] as? String)?.hasSuffix("/database-unavailable") == true)
                        #expect(refused.json["requestId"] as? String != nil)
                        #expect(
                            !refused.text.contains("127.0.0.1") && !refused.text.contains("primary"),
                            "\(refused.text)"
                        )
                    }
                    let read = try await TestClient(baseURL: client.baseURL).send(.GET, "/products/\(product)")
                    #expect(read.status == 200, "reads go on from the replica: \(read.text)")

                    try await cluster.start(cluster.primary)
                    let deadline = ContinuousClock.now.advanced(by: .seconds(15))
                    while router.status().first(where: { $0.role == .primary })?.isAvailable != true,
                        ContinuousClock.now < deadline
                    {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    _ = try await seller.createProduct("Chair", price: "40.00")
                }
            }
        }
    }

    @Test func theMarketplaceWorksEndToEndOnPostgresWithAReplicaAndReadsItsOwnWrites() async throws {
        try await PostgresCluster.withCluster(replicas: 1) { cluster in
            let (endpoints, migrations) = try await marketplace(on: cluster)
            var options = RoutingOptions()
            options.probeInterval = .milliseconds(100)
            options.probeTimeout = .seconds(3)
            // The replica is paused on purpose below; its replay age must not eject it while
            // a busy machine runs the rounds (lag ejection has its own tests in routing).
            options.maximumLagSeconds = 120
            options.connectTimeout = .seconds(3)
            options.tokenWait = .milliseconds(300)
            options.connectionsPerNode = 4
            let router = try PostgresRouter(endpoints: endpoints, options: options, logger: quietLogger)
            try await withTemporaryDirectory { directory in
                let settings = testSettings(storage: directory)
                try await withRunningServer(database: router, migrations: migrations, settings: settings) { client in
                    // `wenwex access apply` makes the audit log; admin actions are appended to it.
                    _ = try await router.write { try await AuditLog(session: $0).prepare() }
                    let scenarios = MarketplaceScenarios(baseURL: client.baseURL, promoteToAdmin: adminPromoter(router))
                    try await scenarios.runAll()
                    let audit = try await router.write { session in
                        let log = AuditLog(session: session)
                        return (try await log.entries(since: nil), try await log.verify())
                    }.value
                    #expect(
                        audit.0.map(\.action) == ["ban user", "unban user", "change role", "change role"],
                        "\(audit.0.map { "\($0.actor) \($0.action) \($0.target) \($0.detail)" })"
                    )
                    #expect(audit.0.allSatisfy { $0.actor.hasPrefix("user ") && $0.target.hasPrefix("user ") })
                    #expect(audit.0.last?.detail == "USER")
                    #expect(audit.1.problem == nil && audit.1.entries == 4, "the chain verifies")
                    let seller = TestClient(baseURL: client.baseURL)
                    try await seller.signUp("ryw@example.com")
                    try await cluster.waitForReplay()

                    // Pause the replica: a client carrying its consistency token (cookie or
                    // header) still sees its own writes; one without it reads the stale replica.
                    _ = try await cluster.psql("SELECT pg_wal_replay_pause()", on: cluster.replicas[0])
                    defer {
                        Task { _ = try? await cluster.psql("SELECT pg_wal_replay_resume()", on: cluster.replicas[0]) }
                    }
                    var stale = 0
                    for round in 0..<5 {
                        let product = try await seller.createProduct("Fresh \(round)", price: "3.00")
                        #expect(try await seller.send(.GET, "/products/\(product)").status == 200)
                        let created = try await seller.send(.PATCH, "/products/\(product)", json: #"{"stock":7}"#)
                        let token = try #require(created.header("Wenwex-Consistency"))
                        let viaHeader = TestClient(baseURL: client.baseURL)
                        let read = try await viaHeader.send(
                            .GET,
                            "/products/\(product)",
                            headers: [("Wenwex-Consistency", token)]
                        )
                        #expect(read.status == 200)
                        #expect(read.json["stock"] as? Int == 7)
                        // Without the token the paused replica answers, whenever the router
                        // has it in rotation (a probe timing out on a busy machine takes it out
                        // for a moment, and reads then fall back to the primary).
                        let stranger = TestClient(baseURL: client.baseURL)
                        for _ in 0..<40 {
                            if try await stranger.send(.GET, "/products/\(product)").status == 404 {
                                stale += 1
                                break
                            }
                            try await Task.sleep(for: .milliseconds(50))
                        }
                    }
                    #expect(stale > 0, "reads without a token should have hit the paused replica: \(router.status())")
                    let replica = router.status().first { $0.role == .replica }
                    #expect((replica?.queriesServed ?? 0) > 0)
                }
            }
        }
    }
}
