import Foundation
import Testing
import WenwexConfig
import WenwexSQL
import WenwexTestSupport

/// `wenwex db seed` run as a user runs it, in a copy of the example project.
@Suite("wenwex db seed")
struct DbSeedCommandTests {
    static let schema = """
        datasource db {
          provider = "sqlite"
          url      = env("DATABASE_URL")
        }

        enum Role {
          BUYER
          SELLER
        }

        model User {
          id       Int       @id @default(autoincrement())
          email    String    @unique
          name     String?
          role     Role      @default(BUYER)
          products Product[]

          @@map("users")
        }

        model Product {
          id       String  @id @default(uuid())
          title    String
          price    Decimal
          sellerId Int
          seller   User    @relation(fields: [sellerId], references: [id])
        }
        """

    @Test func seedsTheMigratedDevDatabaseAndReportsRowsPerTable() async throws {
        let cli = try MigrateCommandTests.project(schema: Self.schema)
        defer { cli.remove() }
        let migrate = try await cli.run("migrate", "dev", "--name", "init")
        #expect(migrate.status == 0, "\(migrate.stderr)")

        let seed = try await cli.run("db", "seed", "--count", "5", "--seed", "7")
        #expect(seed.status == 0, "\(seed.stderr)")
        #expect(seed.stdout.contains("seed 7"))
        #expect(seed.stdout.range(of: #"users\s+5"#, options: .regularExpression) != nil, "\(seed.stdout)")
        #expect(seed.stdout.range(of: #"Product\s+5"#, options: .regularExpression) != nil, "\(seed.stdout)")
        #expect(try await MigrateCLIDatabase.sqliteValue(cli, #"SELECT COUNT(*) FROM "Product""#) == "5")
        let orphans = try await MigrateCLIDatabase.sqliteValue(
            cli,
            #"SELECT COUNT(*) FROM "Product" WHERE "sellerId" NOT IN (SELECT "id" FROM "users")"#
        )
        #expect(orphans == "0")

        // Dev adds to a database with rows without asking.
        let again = try await cli.run("db", "seed", "--count", "5", "--seed", "7")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try await MigrateCLIDatabase.sqliteValue(cli, #"SELECT COUNT(*) FROM "users""#) == "10")
    }

    @Test func isRefusedOnProd() async throws {
        let cli = try MigrateCommandTests.project(schema: Self.schema)
        defer { cli.remove() }
        let outcome = try await cli.run("db", "seed", "--yes", environment: validProdSecrets)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("wenwex db seed"))
        #expect(outcome.stderr.contains("is not allowed in environment 'prod'"))
    }

    @Test func asksBeforeAddingToAStagingDatabaseThatHasRows() async throws {
        let cli = try MigrateCommandTests.project(schema: Self.schema)
        defer { cli.remove() }
        #expect(try await cli.run("migrate", "dev", "--name", "init").status == 0)
        let staging = ["WENWEX_ENV": "staging", "JWT_SECRET": String(repeating: "s", count: 32)]
        let deploy = try await cli.run("migrate", "deploy", environment: staging)
        #expect(deploy.status == 0, "\(deploy.stderr)")

        let empty = try await cli.run("db", "seed", "--count", "3", environment: staging)
        #expect(empty.status == 0, "\(empty.stderr)")
        // No terminal and no --yes: a staging database with rows is left alone.
        let unconfirmed = try await cli.run("db", "seed", "--count", "3", environment: staging)
        #expect(unconfirmed.status == 2)
        #expect(unconfirmed.stderr.contains("was not confirmed"))
        let confirmed = try await cli.run("db", "seed", "--count", "3", "--yes", environment: staging)
        #expect(confirmed.status == 0, "\(confirmed.stderr)")
        let users = try await DatabaseConnector.withSession(
            try DatabaseURL("file:" + cli.project.appendingPathComponent(".wenwex/staging.db").path)
        ) { session in try await session.queryText(#"SELECT COUNT(*) FROM "users""#).first?.first ?? nil }
        #expect(users == "6")
    }
}
