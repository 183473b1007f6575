import Foundation
import Testing
import WenwexTestSupport

/// `wenwex migrate …` run as a user runs it, in a copy of the example project.
@Suite("wenwex migrate on SQLite")
struct MigrateCommandTests {
    static let schema = """
        datasource db {
          provider = "sqlite"
          url      = env("DATABASE_URL")
        }

        model User {
          id       Int       @id @default(autoincrement())
          email    String    @unique
          name     String?
          products Product[]

          @@map("users")
        }

        model Product {
          id       Int    @id @default(autoincrement())
          title    String
          sellerId Int
          seller   User   @relation(fields: [sellerId], references: [id])
        }
        """

    static func project(schema: String = schema) throws -> WenwexCLI {
        let cli = try WenwexCLI()
        try FileManager.default.createDirectory(
            at: cli.project.appendingPathComponent("prisma"),
            withIntermediateDirectories: true
        )
        try cli.write("prisma/schema.prisma", schema)
        return cli
    }

    static func migrationNames(_ cli: WenwexCLI) throws -> [String] {
        try FileManager.default.contentsOfDirectory(
            atPath: cli.project.appendingPathComponent("prisma/migrations").path
        )
        .filter { !$0.hasSuffix(".toml") }.sorted()
    }

    @Test func devWritesAndAppliesMigrationsThenStatusAndDiffAgree() async throws {
        let cli = try Self.project()
        defer { cli.remove() }
        let first = try await cli.run("migrate", "dev", "--name", "init")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("CREATE TABLE \"users\""))
        #expect(try Self.migrationNames(cli).count == 1)
        let lock = try String(
            contentsOf: cli.project.appendingPathComponent("prisma/migrations/migration_lock.toml"),
            encoding: .utf8
        )
        #expect(lock.contains(#"provider = "sqlite""#))

        try cli.write(
            "prisma/schema.prisma",
            Self.schema.replacingOccurrences(
                of: "  name     String?\n",
                with: "  name     String?\n  referralCode String? @unique @map(\"referral_code\")\n"
            )
        )
        let second = try await cli.run("migrate", "dev", "--name", "add referral code")
        #expect(second.status == 0, "\(second.stderr)")
        let names = try Self.migrationNames(cli)
        #expect(names.count == 2)
        #expect(names.last?.hasSuffix("_add_referral_code") == true)
        let sql = try String(
            contentsOf: cli.project.appendingPathComponent("prisma/migrations/\(names[1])/migration.sql"),
            encoding: .utf8
        )
        #expect(sql.contains(#"ALTER TABLE "users" ADD COLUMN "referral_code" TEXT"#))
        #expect(sql.contains(#"CREATE UNIQUE INDEX "users_referral_code_key" ON "users"("referral_code")"#))

        let again = try await cli.run("migrate", "dev")
        #expect(again.status == 0)
        #expect(again.stdout.contains("Already in sync"))
        #expect(try Self.migrationNames(cli).count == 2)

        let status = try await cli.run("migrate", "status", "--json")
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains(#""upToDate" : true"#))

        let diff = try await cli.run(
            "migrate",
            "diff",
            "--from",
            "prisma/migrations",
            "--to",
            "prisma/schema.prisma",
            "--exit-code"
        )
        #expect(diff.status == 0, "\(diff.stdout)\(diff.stderr)")
        let database = try await cli.run(
            "migrate",
            "diff",
            "--from",
            "file:.wenwex/dev.db",
            "--to",
            "prisma/schema.prisma",
            "--exit-code"
        )
        #expect(database.status == 0, "\(database.stdout)\(database.stderr)")
        let fromEmpty = try await cli.run(
            "migrate",
            "diff",
            "--from",
            "empty",
            "--to",
            "prisma/schema.prisma",
            "--script",
            "--exit-code"
        )
        #expect(fromEmpty.status == 2, "Prisma's status for a difference")
        #expect(fromEmpty.stdout.contains("CREATE TABLE \"Product\""))
        // A mistyped flag is an error, never "a difference".
        let typo = try await cli.run(
            "migrate",
            "diff",
            "--from-empty",
            "--to-schema-datamode",
            "prisma/schema.prisma",
            "--exit-code"
        )
        #expect(typo.status == 1, "\(typo.stderr)")
        #expect(typo.stderr.contains("--to-schema-datamode"), "the unknown flag is named: \(typo.stderr)")
        // Without --exit-code a missing side is bad usage (2), with it an error (1).
        #expect(try await cli.run("migrate", "diff", "--from", "empty").status == 2)
        #expect(try await cli.run("migrate", "diff", "--from", "empty", "--exit-code").status == 1)
    }

    @Test func driftIsShownAndAbsorbedNeverResetSilently() async throws {
        let cli = try Self.project()
        defer { cli.remove() }
        #expect(try await cli.run("migrate", "dev", "--name", "init").status == 0)
        try await MigrateCLIDatabase.sqlite(cli, "ALTER TABLE \"users\" ADD COLUMN \"nickname\" TEXT")
        try await MigrateCLIDatabase.sqlite(
            cli,
            "INSERT INTO \"users\" (\"email\", \"nickname\") VALUES ('a@example.com', 'ann')"
        )

        let drifted = try await cli.run("migrate", "dev", "--name", "next")
        #expect(drifted.status == 1)
        #expect(drifted.stderr.contains(#"Drift detected"#))
        #expect(drifted.stderr.contains(#"added column "users"."nickname" (TEXT, nullable)"#))
        #expect(drifted.stderr.contains("--absorb-drift"))
        #expect(try Self.migrationNames(cli).count == 1)

        // Absorb it into the schema too, so nothing is dropped afterwards.
        try cli.write(
            "prisma/schema.prisma",
            Self.schema.replacingOccurrences(
                of: "  name     String?\n",
                with: "  name     String?\n  nickname String?\n"
            )
        )
        let absorbed = try await cli.run("migrate", "dev", "--name", "next", "--absorb-drift")
        #expect(absorbed.status == 0, "\(absorbed.stderr)")
        #expect(try Self.migrationNames(cli).contains { $0.hasSuffix("_absorb_drift") })
        #expect(try await MigrateCLIDatabase.sqliteValue(cli, "SELECT nickname FROM users") == "ann")
        let status = try await cli.run("migrate", "status")
        #expect(status.status == 0, "\(status.stdout)")
    }

    @Test func resetIsDevOnlyAsksFirstAndRunsTheSeedCommand() async throws {
        let cli = try Self.project()
        defer { cli.remove() }
        #expect(try await cli.run("migrate", "dev", "--name", "init").status == 0)
        try await MigrateCLIDatabase.sqlite(cli, "INSERT INTO \"users\" (\"email\") VALUES ('a@example.com')")
        let toml = try String(contentsOf: cli.project.appendingPathComponent("wenwex.toml"), encoding: .utf8)
        try cli.write("wenwex.toml", toml + "\n[schema]\nseed = \"echo \\\"$DATABASE_URL\\\" > seeded.txt\"\n")

        let unconfirmed = try await cli.run("migrate", "reset")
        #expect(unconfirmed.status == 2)
        #expect(unconfirmed.stderr.contains("was not confirmed"))
        let onProd = try await cli.run("migrate", "reset", "--yes", environment: validProdSecrets)
        #expect(onProd.status == 2)
        #expect(onProd.stderr.contains("is not allowed in environment 'prod'"))

        let reset = try await cli.run("migrate", "reset", "--yes")
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(try await MigrateCLIDatabase.sqliteValue(cli, "SELECT COUNT(*) FROM users") == "0")
        let seeded = try String(contentsOf: cli.project.appendingPathComponent("seeded.txt"), encoding: .utf8)
        #expect(seeded.contains("file:.wenwex/dev.db"))
    }

    @Test func aFailedDeployIsReportedByStatusAndResolved() async throws {
        let cli = try Self.project()
        defer { cli.remove() }
        try MigrateCLIDatabase.writeMigration(
            cli,
            "20260101000000_init",
            #"CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);"#
        )
        try MigrateCLIDatabase.writeMigration(
            cli,
            "20260102000000_broken",
            #"CREATE TABLE "b" ("id" INTEGER PRIMARY KEY); SELECT * FROM "missing";"#
        )
        let failed = try await cli.run("migrate", "deploy")
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("migration 20260102000000_broken failed and was rolled back"))
        let status = try await cli.run("migrate", "status")
        #expect(status.status == 1)
        #expect(status.stdout.contains("failed:  20260102000000_broken"))
        let refused = try await cli.run("migrate", "deploy")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("failed earlier and is not resolved"))
        try MigrateCLIDatabase.writeMigration(
            cli,
            "20260102000000_broken",
            #"CREATE TABLE "b" ("id" INTEGER PRIMARY KEY);"#
        )
        #expect(try await cli.run("migrate", "resolve", "--rolled-back", "20260102000000_broken").status == 0)
        let deployed = try await cli.run("migrate", "deploy")
        #expect(deployed.status == 0, "\(deployed.stderr)")
        #expect(deployed.stdout.contains("Applying migration 20260102000000_broken"))
    }

    @Test func twoDeployProcessesApplyEachMigrationOnce() async throws {
        let cli = try Self.project()
        defer { cli.remove() }
        try MigrateCLIDatabase.writeManyMigrations(cli, count: 12)
        async let first = cli.run("migrate", "deploy")
        async let second = cli.run("migrate", "deploy")
        let outcomes = try await [first, second]
        #expect(outcomes.allSatisfy { $0.status == 0 }, "\(outcomes.map(\.stderr))")
        let applied = outcomes.map { $0.stdout.components(separatedBy: "Applying migration").count - 1 }
        #expect(applied.reduce(0, +) <= 12 + 12)
        #expect(try await MigrateCLIDatabase.sqliteValue(cli, "SELECT COUNT(*) FROM _prisma_migrations") == "12")
        #expect(try await MigrateCLIDatabase.sqliteValue(cli, "SELECT COUNT(*) FROM counter") == "11")
    }

    @Test func aKilledDeployLeavesNothingHalfDoneAndTheNextOneFinishes() async throws {
        let cli = try Self.project()
        defer { cli.remove() }
        try MigrateCLIDatabase.writeMigration(
            cli,
            "20260101000000_init",
            #"CREATE TABLE "big" ("n" INTEGER NOT NULL);"#
        )
        try MigrateCLIDatabase.writeMigration(
            cli,
            "20260102000000_fill",
            """
            CREATE TABLE "marker" ("id" INTEGER PRIMARY KEY);
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4000000) INSERT INTO "big" SELECT x FROM c;
            """
        )
        let killed = try await ChildProcess.run(
            "/bin/sh",
            ["-c", MigrateCLIDatabase.killWhenApplying("20260102000000_fill", after: "0.3"), WenwexCLI.executable],
            environment: ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()],
            currentDirectory: cli.project
        )
        #expect(killed.stdout.contains("Applying migration 20260102000000_fill"))
        #expect(!killed.stdout.contains("Applied 2"))
        let deployed = try await cli.run("migrate", "deploy")
        #expect(deployed.status == 0, "\(deployed.stderr)")
        #expect(deployed.stdout.contains("Applying migration 20260102000000_fill"))
        #expect(try await MigrateCLIDatabase.sqliteValue(cli, "SELECT COUNT(*) FROM big") == "4000000")
        #expect(try await MigrateCLIDatabase.sqliteValue(cli, "SELECT COUNT(*) FROM _prisma_migrations") == "2")
    }

    @Test func aMigrationThatLosesDataIsWrittenButNotAppliedUntilAcknowledged() async throws {
        let cli = try Self.project()
        defer { cli.remove() }
        #expect(try await cli.run("migrate", "dev", "--name", "init").status == 0)
        try await MigrateCLIDatabase.sqlite(
            cli,
            "INSERT INTO \"users\" (\"email\", \"name\") VALUES ('a@example.com', 'Ann')"
        )
        try cli.write("prisma/schema.prisma", Self.schema.replacingOccurrences(of: "  name     String?\n", with: ""))

        let stopped = try await cli.run("migrate", "dev", "--name", "drop_name")
        #expect(stopped.status == 1)
        #expect(stopped.stderr.contains("error[drop-column]"))
        #expect(stopped.stderr.contains("error: not applied: the migration can lose data"))
        let names = try Self.migrationNames(cli)
        #expect(names.count == 2)
        let path = cli.project.appendingPathComponent("prisma/migrations/\(names[1])/migration.sql")
        let sql = try String(contentsOf: path, encoding: .utf8)
        #expect(sql.hasPrefix("/*\n  Warnings:"))
        #expect(try await MigrateCLIDatabase.sqliteValue(cli, "SELECT name FROM users") == "Ann")

        // Re-running does not sneak the pending file in; linting the folder fails too.
        #expect(try await cli.run("migrate", "dev").status == 1)
        let lint = try await cli.run("migrate", "lint")
        #expect(lint.status == 1)
        #expect(lint.stdout.contains(names[1]))

        try ("-- wenwex:allow drop-column\n" + sql).write(to: path, atomically: true, encoding: .utf8)
        let applied = try await cli.run("migrate", "dev")
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("Applying migration \(names[1])"))
        #expect(try await cli.run("migrate", "lint").status == 0)
    }

    @Test func devResetsADriftedDatabaseOnlyWhenAskedAndConfirmed() async throws {
        let cli = try Self.project()
        defer { cli.remove() }
        #expect(try await cli.run("migrate", "dev", "--name", "init").status == 0)
        try await MigrateCLIDatabase.sqlite(cli, "CREATE TABLE \"scratch\" (\"id\" INTEGER)")
        try await MigrateCLIDatabase.sqlite(cli, "INSERT INTO \"users\" (\"email\") VALUES ('a@example.com')")
        let unconfirmed = try await cli.run("migrate", "dev", "--reset")
        #expect(unconfirmed.status == 2)
        #expect(try await MigrateCLIDatabase.sqliteValue(cli, "SELECT COUNT(*) FROM users") == "1")
        let reset = try await cli.run("migrate", "dev", "--reset", "--yes")
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(reset.stderr.contains(#"added table "scratch""#))
        #expect(try await MigrateCLIDatabase.sqliteValue(cli, "SELECT COUNT(*) FROM users") == "0")
        #expect(
            try await MigrateCLIDatabase.sqliteValue(cli, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'scratch'")
                == "0"
        )
        #expect(try Self.migrationNames(cli).count == 1)
    }

    @Test func aContractMigrationWaitsForTheFlagAndStatusSaysSo() async throws {
        let cli = try Self.project()
        defer { cli.remove() }
        #expect(try await cli.run("migrate", "dev", "--name", "init").status == 0)
        try MigrateCLIDatabase.writeMigration(
            cli,
            "29990101000000_drop_name",
            "-- wenwex:contract\nALTER TABLE \"users\" DROP COLUMN \"name\";\n"
        )
        let deployed = try await cli.run("migrate", "deploy")
        #expect(deployed.status == 0, "\(deployed.stderr)")
        #expect(
            deployed.stdout.contains(
                "Contract migration 29990101000000_drop_name waits for `wenwex migrate deploy --contract`"
            ),
            "\(deployed.stdout)"
        )
        let status = try await cli.run("migrate", "status")
        #expect(status.status == 1)
        #expect(
            status.stdout.contains(
                "pending: 29990101000000_drop_name (contract: waits for `wenwex migrate deploy --contract`)"
            ),
            "\(status.stdout)"
        )
        // No server has reported, so nothing holds the contract back.
        let contracted = try await cli.run("migrate", "deploy", "--contract")
        #expect(contracted.status == 0, "\(contracted.stderr)")
        #expect(contracted.stdout.contains("Applying migration 29990101000000_drop_name"))
        #expect(try await cli.run("migrate", "status").status == 0)
    }
}
