import Foundation
import Testing
import WenwexConfig
import WenwexSQL
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

        let log = try await cli.run("audit", "log")
        #expect(
            log.stdout.contains("access grant  dana@example.com")
                && log.stdout.contains("access revoke  dana@example.com"),
            "\(log.stdout.replacingOccurrences(of: "\n", with: " | "))"
        )
        #expect(try await cli.run("audit", "verify").status == 0)
        try await DatabaseConnector.withSession(try DatabaseURL(url)) { session in
            try await session.execute(#"UPDATE "_wenwex_audit" SET actor = 'someone-else' WHERE sequence = 2"#, [])
        }
        let tampered = try await cli.run("audit", "verify")
        #expect(tampered.status == 1)
        #expect(tampered.stderr.contains("row 2 was edited"), "\(tampered.stderr)")

        let sqlite = try await cli.run("access", "plan", environment: ["DATABASE_URL": "file:./dev.db"])
        #expect(sqlite.status == 2)
        #expect(sqlite.stderr.contains("access control needs PostgreSQL"))
    }

    @Test func thePolicyIsCheckedWithLinesAndDecidesWhoGetsWhichLogin() async throws {
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        let url = try await SharedPostgres.freshDatabase(prefix: "cli_access_policy")
        try cli.write(".env", "DATABASE_URL=\(url)\n")
        try cli.write(
            "wenwex.toml",
            """
            [access.groups]
            juniors = ["jo@example.com"]
            leads = ["cto@example.com"]

            [access.environments.dev]
            juniors = ["connect", "read"]
            leads = ["admin"]
            """
        )
        let check = try await cli.run("access", "check")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("juniors (1 member): connect, read"), "\(check.stdout)")
        #expect(try await cli.run("access", "apply", environment: ["WENWEX_ACTOR": "cto@example.com"]).status == 0)

        let byJunior = try await cli.run(
            "access",
            "grant",
            "--person",
            "jo@example.com",
            "--role",
            "read",
            environment: ["WENWEX_ACTOR": "jo@example.com"]
        )
        #expect(byJunior.status == 2)
        #expect(byJunior.stderr.contains("does not grant 'admin'"), "\(byJunior.stderr)")
        let writer = try await cli.run(
            "access",
            "grant",
            "--person",
            "jo@example.com",
            "--role",
            "write",
            environment: ["WENWEX_ACTOR": "cto@example.com"]
        )
        #expect(writer.status == 2, "a junior gets no write login")
        #expect(writer.stderr.contains("does not give jo@example.com 'write'"), "\(writer.stderr)")
        let reader = try await cli.run(
            "access",
            "grant",
            "--person",
            "jo@example.com",
            "--role",
            "read",
            environment: ["WENWEX_ACTOR": "cto@example.com"]
        )
        #expect(reader.status == 0, "\(reader.stderr)")
        #expect(
            try await cli.run(
                "access",
                "revoke",
                "--person",
                "jo@example.com",
                environment: ["WENWEX_ACTOR": "cto@example.com"]
            )
            .status == 0
        )

        try cli.write(
            "wenwex.toml",
            "[access.groups]\nleads = [\"cto\"]\n\n[access.environments.prod]\nleds = [\"sudo\"]\n"
                + "\n[access]\npgaudit = [\"read\", \"-misc\", \"reed\"]\n"
        )
        let bad = try await cli.run("access", "check")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("wenwex.toml:2") && bad.stderr.contains("'cto' is not an email"), "\(bad.stderr)")
        #expect(bad.stderr.contains("'reed' is not a pgAudit statement class"), "\(bad.stderr)")
        #expect(!bad.stderr.contains("'-misc'"), "a negated class is one pgAudit takes")
        #expect(
            bad.stderr.contains("group 'leds' is not in [access.groups]")
                && bad.stderr.contains("'sudo' is not a permission")
        )
    }

    @Test func privilegedCommandsCheckTheActorAndLandInTheAuditLog() async throws {
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        let prod = try await SharedPostgres.freshDatabase(prefix: "cli_access_privileged") + "?sslmode=disable"
        try cli.write(".env.prod", "DATABASE_URL=\(prod)\n")
        try cli.write(
            "prisma/schema.prisma",
            "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n\n"
                + "model Note {\n  id Int @id @default(autoincrement())\n}\n"
        )
        try MigrateCLIDatabase.writeMigration(
            cli,
            "20260101000000_init",
            #"CREATE TABLE "Note" ("id" SERIAL PRIMARY KEY);"#
        )
        try cli.write(
            "wenwex.toml",
            """
            [access.groups]
            developers = ["dev@example.com"]
            devops = ["ops@example.com"]

            [access.environments.prod]
            developers = ["connect", "read"]
            devops = ["admin"]
            """
        )
        #expect(try await cli.run("db", "stamp", "--env", "prod", "--yes").status == 0)
        let ops = ["WENWEX_ACTOR": "ops@example.com"]
        let developer = ["WENWEX_ACTOR": "dev@example.com"]
        let applied = try await cli.run("access", "apply", "--env", "prod", "--yes", environment: ops)
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")

        // A developer is read-only on prod: the deploy is refused before it connects.
        let refused = try await cli.run("migrate", "deploy", "--env", "prod", environment: developer)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("does not grant 'migrate'"), "\(refused.stderr)")
        #expect(!refused.stdout.contains("Applying migration"))

        let deployed = try await cli.run("migrate", "deploy", "--env", "prod", environment: ops)
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        let log = try await cli.run("audit", "log", "--env", "prod", environment: ops)
        #expect(
            log.stdout.contains("ops@example.com  wenwex migrate deploy") && log.stdout.contains("  ok"),
            "\(log.stdout)"
        )
        #expect(try await cli.run("audit", "verify", "--env", "prod", environment: ops).status == 0)
        // The audit log is Wenwex's own: never drift, never planned as a drop.
        let diff = try await cli.run(
            "migrate",
            "diff",
            "--from",
            prod,
            "--to",
            "prisma/schema.prisma",
            "--exit-code",
            environment: ops
        )
        #expect(diff.status == 0, "\(diff.stdout)\(diff.stderr)")
    }
}
