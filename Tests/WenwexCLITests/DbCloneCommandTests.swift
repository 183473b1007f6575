import Foundation
import Testing
import WenwexConfig
import WenwexSQL
import WenwexTestSupport

/// `wenwex db clone` as an operator runs it: prod and staging each in their own dotenv file.
@Suite("wenwex db clone", .enabled(if: PostgresAvailability.shouldRun))
struct DbCloneCommandTests {
    static let schema = """
        datasource db {
          provider = "postgresql"
          url      = env("DATABASE_URL")
        }

        model User {
          id    Int     @id @default(autoincrement())
          /// @sanitize(email)
          email String  @unique
          phone String?
          plan  String
        }
        """

    static let migration = """
        CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, "phone" TEXT, "plan" TEXT NOT NULL,
          CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
        CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
        """

    @Test func checkDryRunConfirmationAndTheCloneItself() async throws {
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        let prod = try await SharedPostgres.freshDatabase(prefix: "cli_clone_prod") + "?sslmode=disable"
        let staging = try await SharedPostgres.freshDatabase(prefix: "cli_clone_staging") + "?sslmode=disable"
        try cli.write("prisma/schema.prisma", Self.schema)
        try MigrateCLIDatabase.writeMigration(cli, "20260101000000_init", Self.migration)
        try cli.write(".env.prod", "DATABASE_URL=\(prod)\n")
        try cli.write(".env.staging", "DATABASE_URL=\(staging)\nCLONE_SECRET=staging-clone-secret-0123456789\n")
        for environment in ["prod", "staging"] {
            let stamped = try await cli.run("db", "stamp", "--env", environment, "--yes")
            #expect(stamped.status == 0, "\(stamped.stdout)\(stamped.stderr)")
        }
        let deployed = try await cli.run("migrate", "deploy", "--env", "prod")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        let prodURL = try DatabaseURL(prod)
        try await DatabaseConnector.withSession(prodURL) { session in
            try await session.execute(
                #"INSERT INTO "User" (email, phone, plan) SELECT 'person' || g || '@real-mail.org', '+44 7700 ' || g, 'pro' FROM generate_series(1, 500) g"#,
                []
            )
        }

        // `phone` looks personal and has no rule: --check (no database) and the clone both say so.
        let check = try await cli.run("db", "clone", "--check")
        #expect(check.status == 1)
        #expect(check.stderr.contains("User.phone"), "\(check.stderr)")
        #expect(!check.stderr.contains("User.email"), "the schema's /// @sanitize(email) counts")
        let refused = try await cli.run("db", "clone", "--from", "prod", "--to", "staging", "--yes")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("User.phone"), "\(refused.stderr)")

        try cli.write("wenwex.toml", "[sanitize.User]\nphone = \"phone\"\nplan = \"keep\"\n")
        #expect(try await cli.run("db", "clone", "--check").status == 0)
        let plan = try await cli.run("db", "clone", "--from", "prod", "--to", "staging", "--dry-run")
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("email  email") && plan.stdout.contains("phone  phone"), "\(plan.stdout)")

        // No terminal and no --yes: nothing happens.
        let unconfirmed = try await cli.run("db", "clone", "--from", "prod", "--to", "staging")
        #expect(unconfirmed.status == 2)
        #expect(unconfirmed.stderr.contains("not confirmed"))
        let cloned = try await cli.run("db", "clone", "--from", "prod", "--to", "staging", "--yes")
        #expect(cloned.status == 0, "\(cloned.stdout)\(cloned.stderr)")
        #expect(cloned.stdout.contains("Cloned 1 table, 500 rows"), "\(cloned.stdout)")
        let leaked = try await DatabaseConnector.withSession(try DatabaseURL(staging)) { session in
            try await session.queryText(
                #"SELECT count(*) FILTER (WHERE email LIKE '%real-mail%' OR phone LIKE '+44%')::text, count(*)::text FROM "User""#,
                []
            ).first ?? []
        }
        #expect(leaked == ["0", "500"])

        // Never into prod, and never with one DATABASE_URL for both sides.
        let intoProd = try await cli.run("db", "clone", "--from", "staging", "--to", "prod", "--yes")
        #expect(intoProd.status == 2)
        #expect(intoProd.stderr.contains("its tier is prod"), "\(intoProd.stderr)")
        let ambiguous = try await cli.run(
            "db",
            "clone",
            "--from",
            "prod",
            "--to",
            "staging",
            "--yes",
            environment: ["DATABASE_URL": staging]
        )
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stderr.contains("both --from and --to"))
        #expect(!ambiguous.stderr.contains(staging), "a URL with its password is never printed")
    }
}
