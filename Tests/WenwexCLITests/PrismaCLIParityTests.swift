import Foundation
import Testing
import WenwexConfig
import WenwexSQL
import WenwexTestSupport

/// Issue 12's CLI parity: the `npx prisma migrate diff …` lines teams have in CI run unchanged,
/// `migrate dev --create-only` never touches the database, and the datasource's
/// `shadowDatabaseUrl` is the shadow database `migrate dev` uses.
// Serialized: each test runs `wenwex` processes that open several PostgreSQL connections.
@Suite("Prisma CLI parity", .serialized)
struct PrismaCLIParityTests {
    @Test func migrateDiffTakesPrismasFlags() async throws {
        let cli = try MigrateCommandTests.project()
        defer { cli.remove() }
        let dev = try await cli.run("migrate", "dev", "--name", "init")
        #expect(dev.status == 0, "\(dev.stderr)")

        let fromMigrations = try await cli.run(
            "migrate",
            "diff",
            "--from-migrations",
            "prisma/migrations",
            "--to-schema-datamodel",
            "prisma/schema.prisma",
            "--exit-code"
        )
        #expect(fromMigrations.status == 0, "\(fromMigrations.stdout)\(fromMigrations.stderr)")
        let fromURL = try await cli.run(
            "migrate",
            "diff",
            "--from-url",
            "file:.wenwex/dev.db",
            "--to-schema",
            "prisma/schema.prisma",
            "--exit-code"
        )
        #expect(fromURL.status == 0, "\(fromURL.stdout)\(fromURL.stderr)")
        let fromEmpty = try await cli.run(
            "migrate",
            "diff",
            "--from-empty",
            "--to-schema-datamodel",
            "prisma/schema.prisma",
            "--script",
            "--exit-code"
        )
        #expect(fromEmpty.status == 2, "Prisma's status for a difference")
        #expect(fromEmpty.stdout.contains(#"CREATE TABLE "users""#))
        let backwards = try await cli.run(
            "migrate",
            "diff",
            "--from-schema-datamodel",
            "prisma/schema.prisma",
            "--to-empty",
            "--script"
        )
        #expect(backwards.status == 0, "\(backwards.stderr)")
        #expect(backwards.stdout.contains(#"DROP TABLE "users""#))

        let broken = try await cli.run(
            "migrate",
            "diff",
            "--from-empty",
            "--to-schema-datamodel",
            "prisma/missing.prisma",
            "--exit-code"
        )
        #expect(broken.status == 1, "an error is not a difference under --exit-code: \(broken.stderr)")
        let twoSidesUnderExitCode = try await cli.run(
            "migrate",
            "diff",
            "--from-empty",
            "--from-url",
            "file:dev.db",
            "--to-empty",
            "--exit-code"
        )
        #expect(twoSidesUnderExitCode.status == 1, "\(twoSidesUnderExitCode.stderr)")

        let twoSources = try await cli.run(
            "migrate",
            "diff",
            "--from-empty",
            "--from-url",
            "file:.wenwex/dev.db",
            "--to-schema",
            "prisma/schema.prisma"
        )
        #expect(twoSources.status != 0)
        #expect(twoSources.stderr.contains("give one --from source"), "\(twoSources.stderr)")
        let none = try await cli.run("migrate", "diff", "--to-schema", "prisma/schema.prisma")
        #expect(none.status != 0)
        #expect(none.stderr.contains("pass --from and --to"), "\(none.stderr)")
    }

    @Test func createOnlyWritesTheFileWithoutApplyingResettingOrAsking() async throws {
        let cli = try MigrateCommandTests.project()
        defer { cli.remove() }
        // No terminal: the child's standard input is not one, as in CI.
        let created = try await cli.run("migrate", "dev", "--create-only", "--name", "init")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("Not applied (--create-only)"))
        #expect(try MigrateCommandTests.migrationNames(cli).count == 1)
        let tables = try await MigrateCLIDatabase.sqliteValue(
            cli,
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('users', '_prisma_migrations')"
        )
        #expect(tables == "0")

        // A database that drifted from the history is left alone too: no reset, no question.
        try await MigrateCLIDatabase.sqlite(cli, #"CREATE TABLE "stray" ("id" INTEGER)"#)
        try cli.write(
            "prisma/schema.prisma",
            MigrateCommandTests.schema.replacingOccurrences(
                of: "  name     String?\n",
                with: "  name     String?\n  bio String?\n"
            )
        )
        let second = try await cli.run("migrate", "dev", "--create-only", "--name", "bio")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try MigrateCommandTests.migrationNames(cli).count == 2)
        #expect(
            try await MigrateCLIDatabase.sqliteValue(cli, "SELECT count(*) FROM sqlite_master WHERE name = 'stray'")
                == "1"
        )
        #expect(
            try await MigrateCLIDatabase.sqliteValue(cli, "SELECT count(*) FROM sqlite_master WHERE name = 'users'")
                == "0"
        )
    }

    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func migrateDevReplaysIntoTheDatasourcesShadowDatabaseUrl() async throws {
        let (cli, environment) = try await PostgresMigrateCLITests.project(prefix: "cli_shadow_dev")
        defer { cli.remove() }
        let shadow = try await SharedPostgres.freshDatabase(prefix: "cli_shadow_given") + "?sslmode=disable"
        var withShadow = environment
        withShadow["SHADOW_DATABASE_URL"] = shadow
        let schema = MigrateCommandTests.schema
            .replacingOccurrences(of: #"provider = "sqlite""#, with: #"provider = "postgresql""#)
            .replacingOccurrences(
                of: #"url      = env("DATABASE_URL")"#,
                with: "url      = env(\"DATABASE_URL\")\n  shadowDatabaseUrl = env(\"SHADOW_DATABASE_URL\")"
            )
        try cli.write("prisma/schema.prisma", schema)
        let first = try await cli.run("migrate", "dev", "--name", "init", environment: withShadow)
        #expect(first.status == 0, "\(first.stderr)")
        // The second run replays `init` into the shadow database the schema names, and leaves it
        // there (Prisma empties it at the start of the next run, not at the end).
        let second = try await cli.run("migrate", "dev", environment: withShadow)
        #expect(second.status == 0, "\(second.stderr)")
        let replayed = try await DatabaseConnector.withSession(try DatabaseURL(shadow)) { session in
            try await session.queryText("SELECT count(*)::text FROM pg_tables WHERE tablename = 'users'").first?.first
                ?? nil
        }
        #expect(replayed == "1")
    }

    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func migrationsRunOverTheDatasourcesDirectUrl() async throws {
        let (cli, environment) = try await PostgresMigrateCLITests.project(prefix: "cli_pooled")
        defer { cli.remove() }
        let direct = try await SharedPostgres.freshDatabase(prefix: "cli_direct") + "?sslmode=disable"
        var withDirect = environment
        withDirect["DIRECT_URL"] = direct
        let schema = MigrateCommandTests.schema
            .replacingOccurrences(of: #"provider = "sqlite""#, with: #"provider = "postgresql""#)
            .replacingOccurrences(
                of: #"url      = env("DATABASE_URL")"#,
                with: "url      = env(\"DATABASE_URL\")\n  directUrl = env(\"DIRECT_URL\")"
            )
        try cli.write("prisma/schema.prisma", schema)
        let dev = try await cli.run("migrate", "dev", "--name", "init", environment: withDirect)
        #expect(dev.status == 0, "\(dev.stderr)")
        let count = "SELECT count(*)::text FROM pg_tables WHERE tablename IN ('users', '_prisma_migrations')"
        let onDirect = try await DatabaseConnector.withSession(try DatabaseURL(direct)) { session in
            try await session.queryText(count, []).first?.first ?? nil
        }
        #expect(onDirect == "2")
        #expect(try await PostgresMigrateCLITests.value(environment, count) == "0")

        // `db pull` reads over it too: the pooled database is empty, the direct one is not.
        let pulled = try await cli.run("db", "pull", "--print", environment: withDirect)
        #expect(pulled.status == 0, "\(pulled.stderr)")
        #expect(pulled.stdout.contains("@@map(\"users\")") || pulled.stdout.contains("model users"), "\(pulled.stdout)")
    }

    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func handWrittenObjectsAreListedAsKeptAndDroppedOnlyWithDropUnmanaged() async throws {
        let (cli, environment) = try await PostgresMigrateCLITests.project(prefix: "cli_kept")
        defer { cli.remove() }
        let dev = try await cli.run("migrate", "dev", "--name", "init", environment: environment)
        #expect(dev.status == 0, "\(dev.stderr)")
        try MigrateCLIDatabase.writeMigration(
            cli,
            "29990101000000_search",
            """
            CREATE INDEX "users_name_present" ON "users" ("name") WHERE "name" IS NOT NULL;
            CREATE VIEW "named_users" AS SELECT "id", "name" FROM "users" WHERE "name" IS NOT NULL;
            ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;
            """
        )
        let shadow = try await SharedPostgres.freshDatabase(prefix: "cli_kept_shadow") + "?sslmode=disable"
        let kept = try await cli.run(
            "migrate",
            "diff",
            "--from-migrations",
            "prisma/migrations",
            "--to-schema-datamodel",
            "prisma/schema.prisma",
            "--shadow-database-url",
            shadow,
            "--exit-code",
            environment: environment
        )
        #expect(kept.status == 0, "\(kept.stdout)\(kept.stderr)")
        #expect(
            kept.stderr.contains(
                #"kept: index "users_name_present" on "users" (made by migration 29990101000000_search"#
            ),
            "\(kept.stderr)"
        )
        #expect(
            kept.stderr.contains(#"kept: view "named_users" (made by migration 29990101000000_search"#),
            "\(kept.stderr)"
        )
        #expect(
            kept.stderr.contains(#"kept: row level security on "users" (made by migration 29990101000000_search"#),
            "not the migration that created the table: \(kept.stderr)"
        )

        // From the database itself, the project's migrations folder still names the maker.
        let deploy = try await cli.run("migrate", "deploy", environment: environment)
        #expect(deploy.status == 0, "\(deploy.stderr)")
        let fromDatabase = try await cli.run(
            "migrate",
            "diff",
            "--from-url",
            try #require(environment["DATABASE_URL"]),
            "--to-schema-datamodel",
            "prisma/schema.prisma",
            "--exit-code",
            environment: environment
        )
        #expect(fromDatabase.status == 0, "\(fromDatabase.stdout)\(fromDatabase.stderr)")
        #expect(
            fromDatabase.stderr.contains(
                #"kept: index "users_name_present" on "users" (made by migration 29990101000000_search"#
            ),
            "\(fromDatabase.stderr)"
        )

        let dropped = try await cli.run(
            "migrate",
            "diff",
            "--from-migrations",
            "prisma/migrations",
            "--to-schema-datamodel",
            "prisma/schema.prisma",
            "--shadow-database-url",
            shadow,
            "--drop-unmanaged",
            "--script",
            "--exit-code",
            environment: environment
        )
        #expect(dropped.status == 2, "Prisma's status for a difference")
        #expect(dropped.stdout.contains(#"DROP VIEW "named_users""#), "\(dropped.stdout)")
        #expect(dropped.stdout.contains(#"DROP INDEX "users_name_present""#), "\(dropped.stdout)")
    }

    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func aShadowDatabaseUrlThatIsTheDatabaseItselfOrAnotherRealDatabaseIsRefused() async throws {
        let (cli, environment) = try await PostgresMigrateCLITests.project(prefix: "cli_shadow_self")
        defer { cli.remove() }
        let schema = MigrateCommandTests.schema
            .replacingOccurrences(of: #"provider = "sqlite""#, with: #"provider = "postgresql""#)
            .replacingOccurrences(
                of: #"url      = env("DATABASE_URL")"#,
                with: "url      = env(\"DATABASE_URL\")\n  shadowDatabaseUrl = env(\"SHADOW_DATABASE_URL\")"
            )
        try cli.write("prisma/schema.prisma", schema)
        var same = environment
        same["SHADOW_DATABASE_URL"] = environment["DATABASE_URL"]
        // Without a shadow URL first, so the dev database has tables and a stamp.
        let first = try await cli.run("migrate", "dev", "--name", "init", environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        let refused = try await cli.run("migrate", "dev", environment: same)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("is the database itself"), "\(refused.stderr)")
        #expect(
            try await PostgresMigrateCLITests.value(
                environment,
                "SELECT count(*)::text FROM pg_tables WHERE tablename = 'users'"
            ) == "1"
        )

        // Another project's database (it has a migration history) is refused too.
        let (other, otherEnvironment) = try await PostgresMigrateCLITests.project(prefix: "cli_shadow_stamped")
        defer { other.remove() }
        try other.write("prisma/schema.prisma", schema)
        var stamped = otherEnvironment
        stamped["SHADOW_DATABASE_URL"] = environment["DATABASE_URL"]
        let refusedStamped = try await other.run("migrate", "dev", "--name", "init", environment: stamped)
        #expect(refusedStamped.status != 0)
        #expect(refusedStamped.stderr.contains("has a migration history"), "\(refusedStamped.stderr)")
        #expect(
            try await PostgresMigrateCLITests.value(
                environment,
                "SELECT count(*)::text FROM pg_tables WHERE tablename = 'users'"
            ) == "1"
        )
    }

    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func anExtensionTheDatabaseHasBeyondTheHistoryIsShownNotBlocking() async throws {
        let (cli, environment) = try await PostgresMigrateCLITests.project(prefix: "cli_preinstalled")
        defer { cli.remove() }
        let first = try await cli.run("migrate", "dev", "--name", "init", environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        // What a hosted PostgreSQL installs on its own.
        try await DatabaseConnector.withSession(try DatabaseURL(environment["DATABASE_URL"]!)) { session in
            try await session.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
        }
        let again = try await cli.run("migrate", "dev", environment: environment)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("Already in sync"), "\(again.stdout)")
        #expect(
            again.stderr.contains(#"the database has extension "pgcrypto", which no migration made"#),
            "\(again.stderr)"
        )
    }
}
