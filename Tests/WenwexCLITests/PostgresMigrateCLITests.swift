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

    /// For the `/bin/sh` that runs and kills a deploy: the project's variables, a plain PATH.
    static func shellEnvironment(_ environment: [String: String]) -> [String: String] {
        var shell = environment
        shell["PATH"] = "/usr/bin:/bin"
        shell["HOME"] = NSTemporaryDirectory()
        return shell
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
        let shellEnvironment = Self.shellEnvironment(environment)
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

    @Test func devWritesTheOnlineFormForLiveTablesAndPlainDDLKeepsPrismasForm() async throws {
        let (cli, environment) = try await Self.project(prefix: "cli_migrate_online")
        defer { cli.remove() }
        #expect(try await cli.run("migrate", "dev", "--name", "init", environment: environment).status == 0)
        let schema = MigrateCommandTests.schema.replacingOccurrences(
            of: #"provider = "sqlite""#,
            with: #"provider = "postgresql""#
        )
        // An index and a required column on tables that already exist.
        try cli.write(
            "prisma/schema.prisma",
            schema.replacingOccurrences(of: "name     String?", with: "name     String")
                .replacingOccurrences(
                    of: "seller   User   @relation(fields: [sellerId], references: [id])",
                    with: "seller   User   @relation(fields: [sellerId], references: [id])\n\n  @@index([title])"
                )
        )
        let online = try await cli.run("migrate", "dev", "--name", "tighten", environment: environment)
        #expect(online.status == 0, "\(online.stderr)")
        let names = try MigrateCommandTests.migrationNames(cli)
        #expect(names.count == 4, "\(names)")
        #expect(names[1].hasSuffix("_tighten") && names[2].hasSuffix("_tighten_concurrent_indexes"), "\(names)")
        #expect(names[3].hasSuffix("_tighten_validate_constraints"), "\(names)")
        func file(_ name: String) throws -> String {
            try String(
                contentsOf: cli.project.appendingPathComponent("prisma/migrations/\(name)/migration.sql"),
                encoding: .utf8
            )
        }
        #expect(try file(names[1]).contains(#"CHECK ("name" IS NOT NULL) NOT VALID"#))
        #expect(try file(names[2]).contains(#"CREATE INDEX CONCURRENTLY "Product_title_idx" ON "Product"("title")"#))
        #expect(try file(names[3]).contains(#"ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL"#))
        #expect(
            try await Self.value(
                environment,
                "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'name'"
            ) == "NO"
        )
        #expect(
            try await Self.value(
                environment,
                "SELECT count(*)::text FROM pg_constraint WHERE contype = 'c' AND conrelid = '\"users\"'::regclass"
            ) == "0"
        )
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
        #expect(diff.status == 0, "no drift after the online form: \(diff.stdout)\(diff.stderr)")

        // --plain-ddl: one file, one transaction, as Prisma writes it.
        try cli.write("prisma/schema.prisma", schema)
        let plain = try await cli.run("migrate", "dev", "--name", "loosen", "--plain-ddl", environment: environment)
        #expect(plain.status == 0, "\(plain.stderr)")
        let after = try MigrateCommandTests.migrationNames(cli)
        #expect(after.count == 5 && after[4].hasSuffix("_loosen"), "\(after)")
        #expect(try file(after[4]).contains(#"DROP INDEX "Product_title_idx""#))
    }

    @Test func aBackfillKilledMidwayResumesAfterTheLastBatchThatCommitted() async throws {
        // Hundreds of thousands of rows: never beside the timing-sensitive tests.
        try await ExclusiveTestWork.shared.run { try await killABackfillMidway() }
    }

    func killABackfillMidway() async throws {
        let (cli, environment) = try await Self.project(prefix: "cli_migrate_backfill")
        defer { cli.remove() }
        try await DatabaseConnector.withSession(try DatabaseURL(environment["DATABASE_URL"]!)) { session in
            try await session.execute(ExclusiveTestWork.oneCoreDatabase, [])
        }
        try MigrateCLIDatabase.writeMigration(
            cli,
            "20260101000000_init",
            #"""
            CREATE UNLOGGED TABLE "Person" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL, "touched" INTEGER NOT NULL DEFAULT 0);
            INSERT INTO "Person" ("id", "name") SELECT g, 'person ' || g FROM generate_series(1, 300000) g;
            """#
        )
        try MigrateCLIDatabase.writeMigration(
            cli,
            "20260102000000_full_name",
            """
            -- wenwex:expand
            ALTER TABLE "Person" ADD COLUMN "full_name" TEXT;
            -- wenwex:backfill "Person" SET "full_name" = "name", "touched" = "touched" + 1 WHERE "full_name" IS NULL
            """
        )
        let shellEnvironment = Self.shellEnvironment(environment)
        // Killed once a batch is known to have committed (progress is printed after each
        // commit), not after a fixed sleep: on a loaded machine the first batch can take longer.
        let script = """
            out=$(mktemp); "$0" migrate deploy --backfill-batch 500 > "$out" 2>&1 & pid=$!
            for _ in $(seq 1 1200); do grep -Eq "Backfill of Person .*: [1-9][0-9]* rows, running" "$out" && break; sleep 0.1; done
            kill -9 $pid; wait $pid; cat "$out"; rm -f "$out"
            """
        let killed = try await ChildProcess.run(
            "/bin/sh",
            ["-c", script, WenwexCLI.executable],
            environment: shellEnvironment,
            currentDirectory: cli.project
        )
        #expect(killed.stdout.contains("Backfill of Person"), "\(killed.stdout)")
        #expect(!killed.stdout.contains("rows, done"), "the kill came mid-way: \(killed.stdout)")
        let done = try #require(
            Int(try await Self.value(environment, #"SELECT "rows_done"::text FROM "_wenwex_backfills""#) ?? "")
        )
        #expect(done > 0 && done < 300_000, "\(done)")
        // The progress row and the rows it counts committed together.
        #expect(
            try await Self.value(environment, #"SELECT count(*)::text FROM "Person" WHERE "full_name" IS NOT NULL"#)
                == String(done)
        )

        let status = try await cli.run("migrate", "status", environment: environment)
        #expect(status.status == 1)
        #expect(
            status.stdout.contains("backfill: 20260102000000_full_name #1: \(done) rows so far"),
            "\(status.stdout)"
        )

        let resumed = try await cli.run("migrate", "deploy", environment: environment)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resumed"), "\(resumed.stdout)")
        #expect(resumed.stdout.contains("300000 rows, done"), "\(resumed.stdout)")
        #expect(try await Self.value(environment, #"SELECT "rows_done"::text FROM "_wenwex_backfills""#) == "300000")
        #expect(
            try await Self.value(
                environment,
                #"SELECT min("touched")::text || ' ' || max("touched")::text FROM "Person""#
            ) == "1 1",
            "every row was updated exactly once"
        )
    }
}
