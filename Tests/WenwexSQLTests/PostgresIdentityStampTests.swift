import Foundation
import Testing
import WenwexConfig
import WenwexSQL
import WenwexTestSupport

@Suite("Identity stamp on PostgreSQL", .enabled(if: PostgresAvailability.shouldRun))
struct PostgresIdentityStampTests {
    @Test func devDatabaseIsGuarded() async throws {
        let url = try DatabaseURL(try await SharedPostgres.freshDatabase(prefix: "stamp_dev"))
        try await IdentityStampScenarios.devDatabaseIsGuarded(url)
    }

    @Test func prodClaimsOnlyWithConfirmation() async throws {
        let url = try DatabaseURL(try await SharedPostgres.freshDatabase(prefix: "stamp_prod"))
        try await IdentityStampScenarios.prodClaimsOnlyWithConfirmation(url)
    }

    @Test func stampLivesInTheURLsSchema() async throws {
        let base = try await SharedPostgres.freshDatabase(prefix: "stamp_schema")
        let url = try DatabaseURL(base + "?schema=tenant_a")
        _ = try await DatabaseStamper.stamp(
            IdentityStampScenarios.endpoint(url),
            owner: IdentityStampScenarios.staging,
            confirmation: FixedConfirmation(false)
        )
        let cluster = try await SharedPostgres.cluster()
        let database = String(base.split(separator: "/").last!)
        let schemas = try await cluster.psql(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = '_wenwex_identity'",
            database: database
        )
        #expect(schemas == "tenant_a")
        #expect(try await IdentityStampScenarios.readStamp(try DatabaseURL(base)) == nil)
        #expect(try await IdentityStampScenarios.readStamp(url)?.environment == "staging")
    }

    @Test func replicasCarryThePrimarysStampAndStrangersAreCaught() async throws {
        let cluster = try await SharedPostgres.cluster()
        let primaryText = try await SharedPostgres.freshDatabase(prefix: "stamp_replica")
        let database = String(primaryText.split(separator: "/").last!)
        let primary = try DatabaseURL(primaryText)
        let replica = try DatabaseURL(cluster.replicas[0].url(database: database))
        let owner = IdentityStampScenarios.prod
        _ = try await DatabaseStamper.stamp(
            IdentityStampScenarios.endpoint(primary),
            owner: owner,
            confirmation: FixedConfirmation(true)
        )
        // The shared replica replays the WAL of every test running in parallel (each new database
        // copies its template through the WAL), which on 2 busy cores can take a while.
        try await cluster.waitForReplay(timeout: .seconds(120))

        let endpoints = DatabaseEndpoints(
            primary: IdentityStampScenarios.endpoint(primary),
            replicas: [
                .init(role: .replica, variable: "DATABASE_REPLICA_URLS[1]", url: replica, source: .processEnvironment)
            ]
        )
        let results = await DatabaseIdentityCheck.check(endpoints, owner: owner)
        #expect(results.map(\.reachable) == [true, true])
        #expect(results.map(\.inRecovery) == [false, true])
        #expect(results[1].stamp?.instanceID == results[0].stamp?.instanceID)
        #expect(results.allSatisfy { $0.problems.isEmpty })

        // A "replica" that is really another prod-stamped database of the same project.
        let strangerText = try await SharedPostgres.freshDatabase(prefix: "stamp_stranger")
        let stranger = try DatabaseURL(strangerText)
        _ = try await DatabaseStamper.stamp(
            IdentityStampScenarios.endpoint(stranger),
            owner: owner,
            confirmation: FixedConfirmation(true)
        )
        let mixed = await DatabaseIdentityCheck.check(
            DatabaseEndpoints(
                primary: endpoints.primary,
                replicas: [
                    .init(
                        role: .replica,
                        variable: "DATABASE_REPLICA_URLS[1]",
                        url: stranger,
                        source: .processEnvironment
                    )
                ]
            ),
            owner: owner
        )
        #expect(mixed[1].problems.contains { $0.message.contains("is not a replica of the primary") })
    }

    @Test func unreachableServerIsReportedWithoutSecrets() async throws {
        let url = try DatabaseURL("postgresql://app:hunter2@127.0.0.1:1/app?sslmode=disable")
        let results = await DatabaseIdentityCheck.check(
            .init(primary: IdentityStampScenarios.endpoint(url), replicas: []),
            owner: IdentityStampScenarios.dev,
            timeout: .seconds(2)
        )
        #expect(results.first?.reachable == false)
        #expect(results.first?.detail?.isEmpty == false)
        #expect(results.first?.database.contains("hunter2") == false)
        await #expect {
            try await DatabaseConnector.open(url, timeout: .seconds(2))
        } throws: { error in
            !String(describing: error).contains("hunter2")
        }
    }
}
