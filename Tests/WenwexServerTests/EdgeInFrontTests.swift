import Foundation
import Logging
import ServiceLifecycle
import Testing
import WenwexEdge
import WenwexRouting
import WenwexTestSupport

/// The reference server as the origin of two edge nodes: its ban API feeds their ban lists.
@Suite struct EdgeInFrontTests {
    static let edgeToken = "edge-token-for-the-tests-0123456789"

    /// The 1 s propagation target is `WenwexBench edge-ban-propagation`'s to measure; here the
    /// ban must hold at both nodes well inside the polls' 25 s wait, away from the suite's
    /// million-row tests (a loaded run once stalled it 11 s).
    @Test func anAdminsBanStopsTheUserAtBothEdgeNodes() async throws {
        try await ExclusiveTestWork.shared.run { try await banAtBothEdgeNodes() }
    }

    func banAtBothEdgeNodes() async throws {
        try await withTemporaryDirectory { directory in
            let (router, migrations) = try await migratedSQLite(in: directory)
            var settings = testSettings(storage: directory.appendingPathComponent("storage"))
            settings.edgeToken = Self.edgeToken
            let jwtSecret = settings.jwtSecret
            try await withRunningServer(database: router, migrations: migrations, settings: settings) { origin in
                let originURL = URL(string: origin.baseURL)!
                let stores = [BanStore(), BanStore()]
                var nodes: [EdgeNode] = []
                var services: [any Service] = []
                let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
                for store in stores {
                    let guards = GuardPipeline([
                        HeaderHygieneGuard(), BanListGuard(store: store),
                        await JWTGuard(secret: jwtSecret, bans: store, logger: quietLogger),
                    ])
                    let node = EdgeNode(
                        configuration: EdgeConfiguration(origin: originURL),
                        guards: guards,
                        port: 0,
                        logger: quietLogger
                    ) { portSink.yield($0) }
                    nodes.append(node)
                    services.append(node)
                    services.append(
                        BanSync(
                            store: store,
                            feed: originURL.appendingPathComponent("_wenwex/edge/bans"),
                            token: Self.edgeToken,
                            logger: quietLogger
                        )
                    )
                }
                let group = ServiceGroup(services: services, gracefulShutdownSignals: [], logger: quietLogger)
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    var edgeURLs: [String] = []
                    for await port in ports {
                        edgeURLs.append("http://127.0.0.1:\(port)")
                        if edgeURLs.count == 2 { break }
                    }
                    let admin = TestClient(baseURL: edgeURLs[0])
                    let adminID = try #require(try await admin.signUp("admin@example.com")["id"] as? Int)
                    admin.adoptConsistency(try await adminPromoter(router)(adminID))
                    let troll = TestClient(baseURL: edgeURLs[1])
                    let trollID = try #require(try await troll.signUp("troll@example.com")["id"] as? Int)
                    let trollAtEdge0 = TestClient(baseURL: edgeURLs[0])
                    trollAtEdge0.token = troll.token
                    #expect(try await troll.send(.GET, "/users/me").status == 200)
                    try await waitForSync(stores)

                    let clock = ContinuousClock()
                    let banned = clock.now
                    #expect(try await admin.send(.POST, "/users/\(trollID)/ban").status == 200)
                    for client in [troll, trollAtEdge0] {
                        var answer = try await client.send(.GET, "/users/me")
                        while answer.json["type"] as? String != "about:blank" {
                            try #require(
                                banned.duration(to: clock.now) < .seconds(20),
                                "the edge never refused: \(answer.text)"
                            )
                            try await Task.sleep(for: .milliseconds(10))
                            answer = try await client.send(.GET, "/users/me")
                        }
                        #expect(answer.status == 403)
                        #expect(answer.json["detail"] as? String == "This account is banned.")
                    }
                    // Milliseconds alone; the bound is the polls' 25 s wait, which a loaded run's
                    // stalls stay far below.
                    #expect(banned.duration(to: clock.now) < .seconds(20), "the ban woke the edge nodes' polls")

                    // An address ban through the origin's admin API, and a malformed one refused.
                    let bad = try await admin.send(.POST, "/admin/address-bans", json: #"{"address":"999.1.1.1"}"#)
                    #expect(bad.status == 422 || bad.status == 400, "\(bad.status) \(bad.text)")
                    #expect(try await admin.send(.DELETE, "/users/\(trollID)/ban").status == 200)
                    let unbanned = clock.now
                    var lifted = try await troll.send(.GET, "/users/me")
                    while lifted.status != 200 && unbanned.duration(to: clock.now) < .seconds(20) {
                        try await Task.sleep(for: .milliseconds(20))
                        lifted = try await troll.send(.GET, "/users/me")
                    }
                    #expect(lifted.status == 200, "the un-ban reached the edge too")
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                }
                _ = nodes
            }
        }
    }

    /// An address ban is stored before it is published, so a restarted origin (or another
    /// instance on the same database) still sends it to its edge nodes, and an un-ban lasts too.
    @Test func addressBansOutliveTheOriginProcess() async throws {
        try await withTemporaryDirectory { directory in
            let (router, migrations) = try await migratedSQLite(in: directory)
            var settings = testSettings(storage: directory.appendingPathComponent("storage"))
            settings.edgeToken = Self.edgeToken
            let feed: @Sendable (TestClient) async throws -> [String] = { client in
                let answer = try await client.send(
                    .GET,
                    "/_wenwex/edge/bans",
                    headers: [("X-Wenwex-Edge-Token", Self.edgeToken)],
                    authenticated: false
                )
                return answer.json["addresses"] as? [String] ?? []
            }
            let adminToken = try await withRunningServer(database: router, migrations: migrations, settings: settings) {
                origin in
                let adminID = try #require(try await origin.signUp("admin@example.com")["id"] as? Int)
                origin.adoptConsistency(try await adminPromoter(router)(adminID))
                for address in ["203.0.113.0/24", "2001:db8::7"] {
                    let banned = try await origin.send(
                        .POST,
                        "/admin/address-bans",
                        json: #"{"address":"\#(address)"}"#
                    )
                    #expect(banned.status == 204, "\(banned.text)")
                }
                #expect(Set(try await feed(origin)) == ["203.0.113.0/24", "2001:db8::7"])
                return origin.token
            }

            let restarted = try await SQLiteRouter.open(
                path: directory.appendingPathComponent("dev.db").path,
                logger: quietLogger
            )
            try await withRunningServer(database: restarted, migrations: migrations, settings: settings) { origin in
                var addresses = try await feed(origin)
                for _ in 0..<100 where addresses.count < 2 {
                    try await Task.sleep(for: .milliseconds(50))
                    addresses = try await feed(origin)
                }
                #expect(Set(addresses) == ["203.0.113.0/24", "2001:db8::7"], "loaded from the database at start")
                origin.token = adminToken
                let lifted = try await origin.send(.DELETE, "/admin/address-bans", json: #"{"address":"2001:db8::7"}"#)
                #expect(lifted.status == 204, "\(lifted.text)")
                #expect(try await feed(origin) == ["203.0.113.0/24"])
                let rows = try await restarted.write { try await $0.query("SELECT address FROM address_bans", []) }
                #expect(rows.value.compactMap { $0["address"].text } == ["203.0.113.0/24"])
            }
        }
    }

    /// A ban made through one origin instance reaches the ban feed of another instance on the
    /// same database through the `ban_changes` log it tails, and so does the un-ban: the full
    /// reload is set to an hour here, so nothing else could bring them. Alone this takes about
    /// a quarter of a second (the tail's interval); a loaded test run stalls the process for
    /// seconds at times, so the bound is generous.
    @Test func aBanThroughOneInstanceReachesAnotherInstancesFeedThroughTheChangeLog() async throws {
        try await withTemporaryDirectory { directory in
            let (router, migrations) = try await migratedSQLite(in: directory)
            let other = try await SQLiteRouter.open(
                path: directory.appendingPathComponent("dev.db").path,
                logger: quietLogger
            )
            var settings = testSettings(storage: directory.appendingPathComponent("storage"))
            settings.edgeToken = Self.edgeToken
            settings.banReloadInterval = .seconds(3600)
            try await withRunningServer(database: router, migrations: migrations, settings: settings) { first in
                try await withRunningServer(database: other, migrations: migrations, settings: settings) { second in
                    let adminID = try #require(try await first.signUp("admin@example.com")["id"] as? Int)
                    first.adoptConsistency(try await adminPromoter(router)(adminID))
                    let trollID = try #require(try await first.fresh().signUp("troll@example.com")["id"] as? Int)
                    func feed() async throws -> (users: Set<String>, addresses: Set<String>) {
                        let answer = try await second.send(
                            .GET,
                            "/_wenwex/edge/bans",
                            headers: [("X-Wenwex-Edge-Token", Self.edgeToken)],
                            authenticated: false
                        )
                        return (
                            Set(answer.json["users"] as? [String] ?? []),
                            Set(answer.json["addresses"] as? [String] ?? [])
                        )
                    }
                    func secondsUntil(_ holds: ((users: Set<String>, addresses: Set<String>)) -> Bool) async throws
                        -> Double
                    {
                        let started = ContinuousClock.now
                        while !holds(try await feed()), started.duration(to: .now) < .seconds(30) {
                            try await Task.sleep(for: .milliseconds(10))
                        }
                        let elapsed = started.duration(to: .now)
                        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                    }
                    #expect(try await first.send(.POST, "/users/\(trollID)/ban").status == 200)
                    let banned = try await first.send(
                        .POST,
                        "/admin/address-bans",
                        json: #"{"address":"198.51.100.0/24"}"#
                    )
                    #expect(banned.status == 204, "\(banned.text)")
                    let reached = try await secondsUntil {
                        $0.users.contains(String(trollID)) && $0.addresses.contains("198.51.100.0/24")
                    }
                    #expect(reached < 20, "the bans reached the other instance after \(reached) s")

                    #expect(try await first.send(.DELETE, "/users/\(trollID)/ban").status == 200)
                    let lifted = try await first.send(
                        .DELETE,
                        "/admin/address-bans",
                        json: #"{"address":"198.51.100.0/24"}"#
                    )
                    #expect(lifted.status == 204)
                    let liftedAfter = try await secondsUntil { $0.users.isEmpty && $0.addresses.isEmpty }
                    #expect(liftedAfter < 20, "the un-bans reached the other instance after \(liftedAfter) s")
                    let logged = try await router.write {
                        try await $0.queryText(
                            "SELECT kind, CASE WHEN banned THEN 'on' ELSE 'off' END FROM ban_changes ORDER BY id",
                            []
                        )
                    }.value.map { $0.compactMap { $0 }.joined(separator: " ") }
                    #expect(logged == ["user on", "address on", "user off", "address off"])
                }
            }
        }
    }

    @Test func theOriginTakesTheEdgesSignedUserOnlyFromListedEdgeNodes() async throws {
        let identity = EdgeIdentity(secret: "edge-identity-secret-for-the-tests-0123")
        for listed in [true, false] {
            // The server owns its router and closes it on shutdown: one database per server.
            try await withTemporaryDirectory { directory in
                let (router, migrations) = try await migratedSQLite(in: directory)
                var settings = testSettings(storage: directory.appendingPathComponent("storage"))
                settings.edgeIdentity = identity
                if listed { settings.edgeNodes.ban(address: "127.0.0.0/8") }
                try await withRunningServer(database: router, migrations: migrations, settings: settings) { origin in
                    let user = TestClient(baseURL: origin.baseURL)
                    let email = "edge-\(listed)@example.com"
                    let id = try #require(try await user.signUp(email)["id"] as? Int)
                    let anonymous = user.fresh()
                    let signed = identity.headers(user: String(id)).map { ($0.name.rawName, $0.value) }
                    let forged = EdgeIdentity(secret: "not-the-edge-secret-0123456789abcdef").headers(user: String(id))
                        .map { ($0.name.rawName, $0.value) }
                    let accepted = try await anonymous.send(.GET, "/users/me", headers: signed)
                    let refused = try await anonymous.send(.GET, "/users/me", headers: forged)
                    #expect(
                        accepted.status == (listed ? 200 : 401),
                        "signed headers from \(listed ? "a listed" : "an unlisted") peer"
                    )
                    #expect(refused.status == 401, "a forged signature is ignored")
                }
            }
        }
    }

    private func waitForSync(_ stores: [BanStore]) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while stores.contains(where: { $0.applied.version == nil }) {
            try #require(ContinuousClock.now < deadline, "the edge nodes never loaded the ban feed")
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
