import Foundation
import ServiceLifecycle
import Testing
import WenwexConfig
import WenwexRouting
import WenwexSQL

@Suite("The router over SQLite")
struct SQLiteRouterTests {
    @Test func sameAPIOnTheEmbeddedDefault() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wenwex-router-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = try DatabaseURL("file:app.db", relativeTo: directory)
        let router = try await RouterFactory.make(
            for: DatabaseEndpoints(
                primary: .init(role: .primary, variable: "DATABASE_URL", url: url, source: .builtInDefault),
                replicas: []
            ),
            logger: quietLogger
        )
        try await withRunningRouter(router) {
            _ = try await router.write {
                try await $0.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)")
            }
            _ = try await router.write { try await $0.execute("INSERT INTO counter VALUES (1, 0)") }

            // Concurrent read-modify-write transactions are serialized on the single writer.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        _ = try await router.transaction { session in
                            let current =
                                try await session.query("SELECT v FROM counter WHERE id = $1", [1])[0]["v"].integer ?? 0
                            try await session.execute(
                                "UPDATE counter SET v = $2 WHERE id = $1",
                                [1, .integer(current + 1)]
                            )
                        }
                    }
                }
                try await group.waitForAll()
            }
            let written = try await router.write { try await $0.execute("UPDATE counter SET v = v + 1000") }
            let value = try await router.read(after: written.token) {
                try await $0.query("SELECT v FROM counter")[0]["v"]
            }
            #expect(value == .integer(1_050))

            // A failing transaction rolls back whole.
            await #expect(throws: (any Error).self) {
                _ = try await router.transaction { session in
                    try await session.execute("UPDATE counter SET v = 0")
                    try await session.execute("INSERT INTO counter VALUES (1, 1)")  // duplicate key
                }
            }
            #expect(try await router.read { try await $0.query("SELECT v FROM counter")[0]["v"] } == .integer(1_050))

            // Readers are read-only connections.
            await #expect(throws: (any Error).self) {
                _ = try await router.read { try await $0.execute("DELETE FROM counter") }
            }
            let status = router.status()
            #expect(status.map(\.role) == [.primary, .replica])
            #expect(status[0].queriesServed >= 53)
        }
    }

    @Test func aWriteWaitingForTheWriterStopsWhenItsTaskIsCancelled() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wenwex-router-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let router = try await SQLiteRouter.open(
            path: directory.appendingPathComponent("app.db").path,
            logger: quietLogger
        )
        try await withRunningRouter(router) {
            _ = try await router.write { try await $0.execute("CREATE TABLE t (v INTEGER)") }
            let (held, holder) = AsyncStream.makeStream(of: Void.self)
            let (entered, enterer) = AsyncStream.makeStream(of: Void.self)
            // Holds the single writer connection until `holder` finishes.
            let holding = Task {
                try await router.transaction { session in
                    try await session.execute("INSERT INTO t VALUES (1)")
                    enterer.yield()
                    for await _ in held {}
                }
            }
            for await _ in entered { break }
            let waiting = Task {
                try await router.write { try await $0.execute("INSERT INTO t VALUES (2)") }
            }
            try await Task.sleep(for: .milliseconds(50))
            waiting.cancel()
            let outcome = await waiting.result
            #expect(throws: CancellationError.self) { try outcome.get() }
            holder.finish()
            _ = try await holding.value
            let rows = try await router.read { try await $0.query("SELECT v FROM t ORDER BY v") }
            #expect(rows.map { $0[0] } == [.integer(1)], "the cancelled write never ran")
        }
    }

    @Test func theRouterReturnsOnGracefulShutdownInAServiceGroup() async throws {
        let router = try await SQLiteRouter.open(path: ":memory:", logger: quietLogger)
        let group = ServiceGroup(services: [router], gracefulShutdownSignals: [], logger: quietLogger)
        let running = Task { try await group.run() }
        try await Task.sleep(for: .milliseconds(50))
        let elapsed = try await ContinuousClock().measure {
            await group.triggerGracefulShutdown()
            try await running.value
        }
        // Closing takes microseconds, but the first minute of a fresh-clone run stalls the
        // whole test process for seconds (5.4 s seen): the bound only catches a shutdown that
        // hangs or waits out a timeout of its own.
        #expect(elapsed < .seconds(30))
    }

    @Test func tokensRoundTripAsPostgresLSNText() throws {
        let token = try #require(ConsistencyToken("16/B374D848"))
        #expect(token.position == 0x16_B374_D848)
        #expect(token.description == "16/B374D848")
        #expect(ConsistencyToken("nonsense") == nil)
        #expect(ConsistencyToken("0/1")! < ConsistencyToken("1/0")!)
        let data = try JSONEncoder().encode(token)
        #expect(String(decoding: data, as: UTF8.self) == #""16\/B374D848""#)
        #expect(try JSONDecoder().decode(ConsistencyToken.self, from: data) == token)
    }
}

@Suite("Building a router from configuration")
struct RouterFactoryTests {
    @Test func aDatabaseStampedForAnotherEnvironmentStopsStartUp() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wenwex-factory-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func load(_ environment: String) throws -> WenwexConfiguration {
            try WenwexConfiguration.load(
                .init(
                    projectDirectory: directory,
                    environmentName: environment,
                    processEnvironment: ["DATABASE_URL": "file:app.db"]
                )
            )
        }
        let dev = try load("dev")
        _ = try await DatabaseStamper.stamp(
            dev.databases.primary,
            owner: dev.owner,
            confirmation: FixedConfirmation(false)
        )

        let router = try await RouterFactory.make(for: dev, logger: quietLogger)
        try await withRunningRouter(router) {
            let environment = try await router.read {
                try await $0.query("SELECT environment FROM _wenwex_identity")[0][0]
            }
            #expect(environment == "dev")
        }
        await #expect {
            _ = try await RouterFactory.make(for: try load("staging"), logger: quietLogger)
        } throws: { error in
            (error as? ConfigurationError)?.problems.first?.message.contains("is the 'dev' (dev) database") == true
        }
    }
}
