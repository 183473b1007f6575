import Foundation
import Testing
import WenwexConfig
import WenwexSQL
import WenwexTestSupport

@Suite("wenwex migrate on PostgreSQL", .enabled(if: PostgresAvailability.shouldRun))
struct PostgresMigrateCLITests {
    static func project(prefix: String) async throws -> (WenwexCLI, [String: String]) {
        let cli = try MigrateCommandTests.project(
            schema: MigrateCommandTests.schema.replacingOccurrences(
                of: #"provider = "sqlite""#,
                with: #"provider = "postgresql""#
            )
        )
        let url = try await SharedPostgres.freshDatabase(prefix: prefix)
        return (cli, ["DATABASE_URL": url + "?sslmode=disable", "DATABASE_REPLICA_URLS": ""])
    }

    static func value(_ environment: [String: String], _ sql: String) async throws -> String? {
        try await DatabaseConnector.withSession(try DatabaseURL(environment["DATABASE_URL"]!)) { session in
            try await session.queryText(sql, []).first?.first ?? nil
        }
    }

    static func shadowDatabases(_ environment: [String: String]) async throws -> Set<String> {
        try await DatabaseConnector.withSession(try DatabaseURL(environment["DATABASE_URL"]!)) { session in
            Set(
                try await session.queryText("SELECT datname FROM pg_database WHERE datname LIKE 'wenwex_shadow_%'")
                    .compactMap { $0.first ?? nil }
            )
        }
    }

    @Test func devUsesATemporaryShadowDatabaseAndDeployAppliesTheFiles() async throws {
        let (cli, environment) = try await Self.project(prefix: "cli_migrate_dev")
        defer { cli.remove() }
        let dev = try await cli.run("migrate", "dev", "--name", "init", environment: environment)
        #expect(dev.status == 0, "\(dev.stderr)")
        #expect(dev.stdout.contains(#"CONSTRAINT "users_pkey" PRIMARY KEY ("id")"#))
        #expect(dev.stdout.contains(#"ALTER TABLE "Product" ADD CONSTRAINT "Product_sellerId_fkey""#))
        // The shadow database is gone again. Other tests share the cluster and make shadows of
        // their own, so any shadow seen now must be gone soon; ours, leaked, would stay.
        let lingering = try await Self.shadowDatabases(environment)
        let deadline = ContinuousClock.now + .seconds(60)
        var remaining = lingering
        while !remaining.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            remaining = lingering.intersection(try await Self.shadowDatabases(environment))
        }
        #expect(remaining.isEmpty, "shadow databases left behind: \(remaining)")
        let diff = try await cli.run(
            "migrate",
            "diff",
            "--from",
            environment["DATABASE_URL"]!,
            "--to",
            "prisma/schema.prisma",
            "--exit-code",
            environment: environment
        )
        #expect(diff.status == 0, "\(diff.stdout)\(diff.stderr)")
        #expect(!diff.stdout.contains("sslmode") && !diff.stderr.contains("password"))

        let (other, otherEnvironment) = try await Self.project(prefix: "cli_migrate_deploy")
        defer { other.remove() }
        try FileManager.default.copyItem(
            at: cli.project.appendingPathComponent("prisma/migrations"),
            to: other.project.appendingPathComponent("prisma/migrations")
        )
        let deploy = try await other.run("migrate", "deploy", environment: otherEnvironment)
        #expect(deploy.status == 0, "\(deploy.stderr)")
        #expect(deploy.stdout.contains("Applied 1 migration"))
        let status = try await other.run("migrate", "status", environment: otherEnvironment)
        #expect(status.status == 0, "\(status.stdout)")

        // The dev database is refused to a prod deploy before anything runs.
        var prod = validProdSecrets
        prod["DATABASE_URL"] = environment["DATABASE_URL"]
        prod["DATABASE_REPLICA_URLS"] = ""
        let refused = try await cli.run("migrate", "deploy", environment: prod)
        #expect(refused.status == 2)
        #expect(!refused.stdout.contains("Applying migration"))
    }

    @Test func twoDeployProcessesApplyEachMigrationOnce() async throws {
        let (cli, environment) = try await Self.project(prefix: "cli_migrate_race")
        defer { cli.remove() }
        try MigrateCLIDatabase.writeManyMigrations(cli, count: 15)
        async let first = cli.run("migrate", "deploy", environment: environment)
        async let second = cli.run("migrate", "deploy", environment: environment)
        let outcomes = try await [first, second]
        #expect(outcomes.allSatisfy { $0.status == 0 }, "\(outcomes.map(\.stderr))")
        let applied = outcomes.map { $0.stdout.components(separatedBy: "Applying migration").count - 1 }
        #expect(applied.reduce(0, +) == 15)
        #expect(try await Self.value(environment, "SELECT COUNT(*) FROM _prisma_migrations") == "15")
        #expect(try await Self.value(environment, "SELECT COUNT(*) FROM counter") == "14")
    }

    @Test func aKilledDeployLeavesNothingHalfDoneAndTheNextOneFinishes() async throws {
        let (cli, environment) = try await Self.project(prefix: "cli_migrate_kill")
        defer { cli.remove() }
        try MigrateCLIDatabase.writeMigration(
            cli,
            "20260101000000_init",
            #"CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);"#
        )
        try MigrateCLIDatabase.writeMigration(
            cli,
            "20260102000000_slow",
            #"CREATE TABLE "marker" ("id" INTEGER PRIMARY KEY); SELECT pg_sleep(3);"#
        )
        var shellEnvironment = environment
        shellEnvironment["PATH"] = "/usr/bin:/bin"
        shellEnvironment["HOME"] = NSTemporaryDirectory()
        let killed = try await ChildProcess.run(
            "/bin/sh",
            ["-c", MigrateCLIDatabase.killWhenApplying("20260102000000_slow", after: "0.5"), WenwexCLI.executable],
            environment: shellEnvironment,
            currentDirectory: cli.project
        )
        #expect(killed.stdout.contains("Applying migration 20260102000000_slow"))
        // The server rolls the killed transaction back (and frees the lock) when it notices.
        let deployed = try await cli.run("migrate", "deploy", environment: environment)
        #expect(deployed.status == 0, "\(deployed.stderr)")
        #expect(deployed.stdout.contains("Applying migration 20260102000000_slow"))
        #expect(try await Self.value(environment, "SELECT COUNT(*) FROM _prisma_migrations") == "2")
        #expect(
            try await Self.value(environment, "SELECT COUNT(*) FROM _prisma_migrations WHERE finished_at IS NULL")
                == "0"
        )
    }
}
