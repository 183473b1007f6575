import Foundation
import Testing
import WenwexTestSupport

/// `wenwex access` as an operator runs it with the environment's admin credentials.
@Suite("wenwex access", .enabled(if: PostgresAvailability.shouldRun))
struct AccessCommandTests {
    @Test func statusReportsWhatIsMissingApplyFixesItAndTheSecondApplyChangesNothing() async throws {
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        let url = try await SharedPostgres.freshDatabase(prefix: "cli_access")
        try cli.write(".env", "DATABASE_URL=\(url)\n")

        let before = try await cli.run("access", "status")
        #expect(before.status == 1)
        #expect(before.stdout.contains("missing: create group role"), "\(before.stdout)")
        let plan = try await cli.run("access", "plan")
        #expect(plan.status == 0)
        #expect(
            plan.stdout.contains("ON SCHEMA \"public\" FROM PUBLIC"),
            "nothing stays granted to PUBLIC: \(plan.stdout)"
        )
        let applied = try await cli.run("access", "apply")
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        let after = try await cli.run("access", "status")
        #expect(after.status == 0, "\(after.stdout)")
        #expect(try await cli.run("access", "apply").stdout.contains("Nothing to change."))

        // Migrations now run as the migrator, and what they create is readable by the read role.
        try MigrateCLIDatabase.writeMigration(
            cli,
            "20260101000000_init",
            #"CREATE TABLE "Note" ("id" SERIAL PRIMARY KEY);"#
        )
        try cli.write(
            "prisma/schema.prisma",
            "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n"
        )
        let deployed = try await cli.run("migrate", "deploy")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        #expect(deployed.stdout.contains("_migrator."), "\(deployed.stdout)")
        #expect(try await cli.run("access", "status").status == 0, "the new table is covered by the default privileges")

        let granted = try await cli.run(
            "access",
            "grant",
            "--person",
            "dana@example.com",
            "--role",
            "read",
            "--ttl",
            "2h"
        )
        #expect(granted.status == 0, "\(granted.stderr)")
        #expect(granted.stdout.contains("Password (shown once"))
        #expect(try await cli.run("access", "grant", "--person", "x@y", "--role", "root").status == 2)
        #expect(try await cli.run("access", "sweep").stdout.contains("No expired logins."))
        #expect(try await cli.run("access", "revoke", "--person", "dana@example.com").stdout.contains("Revoked"))

        let sqlite = try await cli.run("access", "plan", environment: ["DATABASE_URL": "file:./dev.db"])
        #expect(sqlite.status == 2)
        #expect(sqlite.stderr.contains("access control needs PostgreSQL"))
    }
}
