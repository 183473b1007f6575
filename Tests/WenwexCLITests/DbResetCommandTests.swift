import Foundation
import Testing
import WenwexTestSupport

/// `wenwex db reset`: the dev database wiped, migrated and seeded, once and on a schedule.
@Suite("wenwex db reset")
struct DbResetCommandTests {
    static let schema = """
        datasource db {
          provider = "sqlite"
          url      = env("DATABASE_URL")
        }

        model User {
          id           Int      @id @default(autoincrement())
          email        String   @unique
          passwordHash String
          createdAt    DateTime @default(now())
          updatedAt    DateTime @updatedAt
        }
        """

    @Test func resetWipesMigratesAndSeedsTheDevDatabase() async throws {
        let cli = try MigrateCommandTests.project(schema: Self.schema)
        defer { cli.remove() }
        #expect(try await cli.run("migrate", "dev", "--name", "init").status == 0)
        try await MigrateCLIDatabase.sqlite(
            cli,
            #"INSERT INTO "User" (email, "passwordHash", "updatedAt") VALUES ('real@person.org', 'x', '2026-01-01')"#
        )

        let unconfirmed = try await cli.run("db", "reset")
        #expect(unconfirmed.status == 2, "no terminal, no --yes: \(unconfirmed.stdout)")
        #expect(try await MigrateCLIDatabase.sqliteValue(cli, #"SELECT COUNT(*) FROM "User""#) == "1")

        let reset = try await cli.run("db", "reset", "--yes", "--count", "7")
        #expect(reset.status == 0, "\(reset.stdout)\(reset.stderr)")
        #expect(reset.stdout.contains("Dropped everything") && reset.stdout.contains("Applying migration"))
        #expect(reset.stdout.contains("sign in with the password 'wenwex-dev-password'"), "\(reset.stdout)")
        #expect(try await MigrateCLIDatabase.sqliteValue(cli, #"SELECT COUNT(*) FROM "User""#) == "7")
        #expect(
            try await MigrateCLIDatabase.sqliteValue(
                cli,
                #"SELECT COUNT(*) FROM "User" WHERE email = 'real@person.org'"#
            )
                == "0"
        )
        #expect(
            try await MigrateCLIDatabase.sqliteValue(
                cli,
                #"SELECT COUNT(*) FROM "User" WHERE "updatedAt" < "createdAt""#
            )
                == "0"
        )

        let prod = try await cli.run("db", "reset", "--yes", environment: validProdSecrets)
        #expect(prod.status == 2)
        #expect(prod.stderr.contains("is not allowed in environment 'prod'"), "\(prod.stderr)")
    }

    @Test func everyIntervalItResetsAgainUntilSIGTERM() async throws {
        let cli = try MigrateCommandTests.project(schema: Self.schema)
        defer { cli.remove() }
        #expect(try await cli.run("migrate", "dev", "--name", "init").status == 0)
        let withoutYes = try await cli.run("db", "reset", "--every", "1s")
        #expect(withoutYes.status == 2)

        let schedule = try RunningCommand(cli, ["db", "reset", "--yes", "--every", "1s", "--count", "3"])
        let deadline = ContinuousClock.now + .seconds(60)
        while schedule.output.components(separatedBy: "Reset done").count < 3, ContinuousClock.now < deadline,
            !schedule.hasExited
        {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(schedule.output.components(separatedBy: "Reset done").count >= 3, "\(schedule.output)")
        #expect(try await schedule.stop(signal: SIGTERM) == 0, "\(schedule.output)")
        // Each reset replaced the rows instead of adding to them.
        #expect(try await MigrateCLIDatabase.sqliteValue(cli, #"SELECT COUNT(*) FROM "User""#) == "3")
    }
}
