import Foundation
import Testing
import WenwexSQL
import WenwexTestSupport

/// The guide's access rules as the people it names meet them: credentials from `wenwex access`,
/// then PostgreSQL's own `psql`, so what is refused is refused by the database, not by Wenwex.
@Suite("wenwex access through psql", .enabled(if: PostgresAvailability.shouldRun))
struct AccessPsqlTests {
    static let policy = """
        [access.groups]
        juniors = ["jo@example.com"]
        seniors = ["sam@example.com"]
        leads = ["cto@example.com"]

        [access.environments.dev]
        juniors = ["connect", "read", "write", "reset"]
        leads = ["admin"]

        [access.environments.staging]
        seniors = ["connect", "read", "write", "migrate"]
        leads = ["admin"]

        [access.environments.prod]
        seniors = ["connect", "read"]
        leads = ["admin"]
        """

    /// `wenwex access grant` in `env` as the CTO, for a person or a service.
    static func grant(_ cli: WenwexCLI, env: String, person: String? = nil, service: String? = nil, role: String)
        async throws -> ChildProcess.Outcome
    {
        let who = person.map { ["--person", $0] } ?? ["--service", service ?? ""]
        return try await cli.run(
            ["access", "grant", "--env", env] + who + ["--role", role],
            environment: ["WENWEX_ACTOR": "cto@example.com"]
        )
    }

    /// The user and password `access grant` printed.
    static func login(_ printed: String) -> (user: String, password: String)? {
        let lines = printed.split(separator: "\n")
        guard let who = lines.first(where: { $0.hasPrefix("Login for ") }),
            let secret = lines.first(where: { $0.hasPrefix("Password (shown once") })
        else { return nil }
        let afterColon = who.split(separator: ": ", maxSplits: 1).last ?? ""
        let user = afterColon.split(separator: " ").first.map(String.init) ?? ""
        let password = secret.split(separator: ": ", maxSplits: 1).last.map(String.init) ?? ""
        return (user, password)
    }

    @Test func eachPersonAndTheServerGetOnlyWhatTheGuideSaysAndPostgresRefusesTheRest() async throws {
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        let prod = try await SharedPostgres.freshDatabase(prefix: "cli_psql_prod")
        let staging = try await SharedPostgres.freshDatabase(prefix: "cli_psql_staging")
        let jwt = "JWT_SECRET=" + String(repeating: "s", count: 40) + "\n"
        try cli.write(".env.prod", "DATABASE_URL=\(prod)\n" + jwt)
        try cli.write(".env.staging", "DATABASE_URL=\(staging)\n" + jwt)
        try cli.write("wenwex.toml", Self.policy)
        try cli.write(
            "prisma/schema.prisma",
            "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n"
        )
        try MigrateCLIDatabase.writeMigration(
            cli,
            "20260101000000_init",
            #"CREATE TABLE "Note" ("id" SERIAL PRIMARY KEY, "body" TEXT NOT NULL); INSERT INTO "Note" ("body") VALUES ('first');"#
        )
        let cto = ["WENWEX_ACTOR": "cto@example.com"]
        for environment in ["prod", "staging"] {
            #expect(try await cli.run("db", "stamp", "--env", environment, "--yes").status == 0)
            let applied = try await cli.run("access", "apply", "--env", environment, "--yes", environment: cto)
            #expect(applied.status == 0, "\(applied.stderr)")
            #expect(try await cli.run("migrate", "deploy", "--env", environment, environment: cto).status == 0)
        }

        // A junior's policy yields no staging or prod credentials, whoever asks.
        for environment in ["prod", "staging"] {
            let junior = try await Self.grant(cli, env: environment, person: "jo@example.com", role: "read")
            #expect(junior.status == 2, "\(environment): \(junior.stdout)")
            #expect(
                junior.stderr.contains("does not give jo@example.com 'read' in '\(environment)'"),
                "\(junior.stderr)"
            )
        }
        let seniorWriter = try await Self.grant(cli, env: "prod", person: "sam@example.com", role: "write")
        #expect(seniorWriter.status == 2, "a developer is read-only on production")

        // A developer's prod login reads, and PostgreSQL refuses every write and DDL.
        let granted = try await Self.grant(cli, env: "prod", person: "sam@example.com", role: "read")
        let sam = try #require(Self.login(granted.stdout), "\(granted.stdout)\(granted.stderr)")
        let psql = Psql(url: prod)
        let read = try await psql.run(#"SELECT body FROM "Note""#, user: sam.user, password: sam.password)
        #expect(read.status == 0 && read.stdout.contains("first"), "\(read.stderr)")
        for statement in [
            #"INSERT INTO "Note" ("body") VALUES ('x')"#, #"UPDATE "Note" SET "body" = 'y'"#, #"DELETE FROM "Note""#,
            #"TRUNCATE "Note""#, #"CREATE TABLE "Evil" ("id" INT)"#, #"ALTER TABLE "Note" ADD COLUMN "evil" INT"#,
            #"DROP TABLE "Note""#,
        ] {
            let refused = try await psql.run(statement, user: sam.user, password: sam.password)
            #expect(refused.status != 0, "\(statement) ran")
            #expect(
                refused.stderr.contains("permission denied") || refused.stderr.contains("must be owner"),
                "\(statement): \(refused.stderr)"
            )
        }

        // Revoking ends the session sam has open, not only the next one.
        async let sleeping = psql.run("SELECT pg_sleep(60)", user: sam.user, password: sam.password)
        var connected = false
        for _ in 0..<100 where !connected {
            let active = try await psql.run(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = '\(sam.user)' AND query LIKE '%pg_sleep%'",
                user: "postgres",
                password: nil
            )
            connected = active.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
            if !connected { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(connected, "sam's psql session is open")
        let started = ContinuousClock.now
        let revoked = try await cli.run(
            "access",
            "revoke",
            "--env",
            "prod",
            "--person",
            "sam@example.com",
            environment: cto
        )
        #expect(revoked.status == 0, "\(revoked.stderr)")
        let ended = try await sleeping
        #expect(ended.status != 0)
        #expect(ended.stderr.contains("terminating connection"), "\(ended.stderr)")
        #expect(ContinuousClock.now - started < .seconds(30), "the session ended with the revoke, not at its end")
        #expect(try await psql.run("SELECT 1", user: sam.user, password: sam.password).status != 0)

        // The server's login: rows yes, DROP TABLE no.
        let serverGrant = try await Self.grant(cli, env: "prod", service: "server", role: "app")
        let server = try #require(Self.login(serverGrant.stdout), "\(serverGrant.stdout)\(serverGrant.stderr)")
        let inserted = try await psql.run(
            #"INSERT INTO "Note" ("body") VALUES ('from the app')"#,
            user: server.user,
            password: server.password
        )
        #expect(inserted.status == 0, "\(inserted.stderr)")
        let dropped = try await psql.run(#"DROP TABLE "Note""#, user: server.user, password: server.password)
        #expect(dropped.status != 0 && dropped.stderr.contains("must be owner"), "\(dropped.stderr)")

        // The migrator migrates: a deploy job's login applies the next migration.
        let deployGrant = try await Self.grant(cli, env: "prod", service: "deploy", role: "migrator")
        let deploy = try #require(Self.login(deployGrant.stdout), "\(deployGrant.stdout)")
        try MigrateCLIDatabase.writeMigration(
            cli,
            "20260102000000_tags",
            #"CREATE TABLE "Tag" ("id" SERIAL PRIMARY KEY);"#
        )
        let asDeploy = prod.replacingOccurrences(of: "//postgres@", with: "//\(deploy.user):\(deploy.password)@")
        let migrated = try await cli.run(
            "migrate",
            "deploy",
            "--env",
            "prod",
            environment: cto.merging(["DATABASE_URL": asDeploy]) { $1 }
        )
        #expect(migrated.status == 0, "\(migrated.stdout)\(migrated.stderr)")
        #expect(!migrated.stdout.contains(deploy.password) && !migrated.stderr.contains(deploy.password))
        let tags = try await psql.run(#"SELECT count(*) FROM "Tag""#, user: server.user, password: server.password)
        #expect(tags.status == 0, "what the migrator creates, the app can use: \(tags.stderr)")

        // A production server refuses to serve as a superuser once the roles exist.
        let superuser = try await cli.run("serve", "--env", "prod", "--port", "0")
        #expect(superuser.status == 2)
        #expect(superuser.stderr.contains("a superuser"), "\(superuser.stderr)")
        let asServer = prod.replacingOccurrences(of: "//postgres@", with: "//\(server.user):\(server.password)@")
        let appServer = try await cli.run(
            "serve",
            "--env",
            "prod",
            "--port",
            "0",
            environment: ["DATABASE_URL": asServer]
        )
        #expect(!appServer.stderr.contains("connects as"), "the app login passes the check: \(appServer.stderr)")
    }
}
