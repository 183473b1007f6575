import Foundation
import Testing
import WenwexTestSupport

@Suite("wenwex env check and db stamp on PostgreSQL", .enabled(if: PostgresAvailability.shouldRun))
struct PostgresGuardCLITests {
    @Test func stampOnProdNeedsYesAndThenEnvCheckPasses() async throws {
        let cli = try WenwexCLI()
        defer { cli.remove() }
        let url = try await SharedPostgres.freshDatabase(prefix: "cli_prod")
        // The example's prod fingerprint expects *.prod.wenwex.internal; allow loopback for this test.
        try cli.write(
            "wenwex.toml",
            try String(contentsOf: cli.project.appendingPathComponent("wenwex.toml"), encoding: .utf8)
                .replacingOccurrences(
                    of: #"database_hosts = ["*.prod.wenwex.internal"]"#,
                    with: #"database_hosts = ["127.0.0.1"]"#
                )
                .replacingOccurrences(
                    of: #"database_hosts = ["*.staging.wenwex.internal"]"#,
                    with: #"database_hosts = ["127.0.0.1"]"#
                )
                .replacingOccurrences(
                    of: #"database_hosts = ["localhost", "127.0.0.1", "::1"]"#,
                    with: #"database_hosts = ["localhost"]"#
                )
        )
        var environment = validProdSecrets
        environment["DATABASE_URL"] = url + "?sslmode=disable"
        environment["DATABASE_REPLICA_URLS"] = ""

        let unstamped = try await cli.run("env", "check", environment: environment)
        #expect(unstamped.status == 2)
        #expect(unstamped.stderr.contains("a prod process refuses an unstamped database"))

        let withoutYes = try await cli.run("db", "stamp", environment: environment)
        #expect(withoutYes.status == 2)
        #expect(withoutYes.stderr.contains("needs explicit confirmation"))

        let stamped = try await cli.run("db", "stamp", "--yes", environment: environment)
        #expect(stamped.status == 0, "\(stamped.stderr)")

        let check = try await cli.run("env", "check", "--json", environment: environment)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any]
        #expect(json?["ok"] as? Bool == true)
        let database = (json?["databases"] as? [[String: Any]])?.first
        #expect((database?["stamp"] as? [String: Any])?["environment"] as? String == "prod")

        // The same database seen from staging is refused, naming both environments.
        var staging = environment
        staging["WENWEX_ENV"] = "staging"
        staging["STRIPE_SECRET_KEY"] = "sk_test_example"
        let fromStaging = try await cli.run("env", "check", environment: staging)
        #expect(fromStaging.status == 2)
        #expect(fromStaging.stderr.contains("is the 'prod' (prod) database, but this process runs as 'staging'"))
    }
}
