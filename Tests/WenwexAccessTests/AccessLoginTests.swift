import Foundation
import Testing
import WenwexAccess
import WenwexConfig
import WenwexSQL
import WenwexTestSupport

/// Logins as PostgreSQL sees them, driven through `psql` as a person would: passwords and
/// expiry enforced by the server, pgAudit's statement log, and the server's own login judged
/// against the layout.
@Suite("Access logins on PostgreSQL", .enabled(if: PostgresAvailability.shouldRun))
struct AccessLoginTests {
    typealias Fixture = AccessApplyTests.Fixture

    @Test func aPersonalLoginNeedsItsPasswordAndStopsWorkingWhenItExpires() async throws {
        let fixture = try await Fixture.make()
        _ = try await fixture.admin { try await fixture.applier.apply($0) }
        let credentials = PersonalCredentials(roles: fixture.roles)
        let psql = Psql(url: fixture.url)
        let erin = try await fixture.grant("erin@example.com")
        let works = try await psql.run(#"SELECT email FROM "User""#, user: erin.user, password: erin.password)
        #expect(works.status == 0, "\(works.stderr)")
        #expect(works.stdout.contains("a@example.com"))
        let noPassword = try await psql.run("SELECT 1", user: erin.user, password: nil)
        #expect(noPassword.status != 0, "a personal login is not trusted without its password")
        let wrongPassword = try await psql.run("SELECT 1", user: erin.user, password: "guess")
        #expect(wrongPassword.stderr.contains("password authentication failed"), "\(wrongPassword.stderr)")

        // Granted an hour ago for a minute: PostgreSQL itself refuses it, before any sweep.
        let expired = try await fixture.grant(
            "erin@example.com",
            ttl: .seconds(60),
            now: Date().addingTimeInterval(-3600)
        )
        let late = try await psql.run("SELECT 1", user: expired.user, password: expired.password)
        #expect(late.status != 0)
        #expect(late.stderr.contains("password authentication failed"), "\(late.stderr)")
        await #expect(throws: (any Error).self) {
            let session = try await fixture.session(user: expired.user, password: expired.password)
            try? await session.close()
        }
        #expect(try await fixture.admin { try await credentials.sweep(on: $0) } == [expired.user])
    }

    /// Runs where Debian's `postgresql-NN-pgaudit` is installed, and always under
    /// `scripts/test` (which installs it), where a missing one fails.
    static let pgAuditShouldRun =
        PostgresAvailability.hasPGAudit || TestRequirement.isRequired("WENWEX_REQUIRE_POSTGRES")

    @Test(.enabled(if: AccessLoginTests.pgAuditShouldRun))
    func pgAuditLogsEveryStatementOfAPersonalLogin() async throws {
        let cluster = try await SharedPostgres.cluster()
        try #require(
            cluster.preloadedLibraries.contains("pgaudit"),
            "pgAudit is not installed beside the server: apt-get install postgresql-15-pgaudit (scripts/test does)"
        )
        let fixture = try await Fixture.make()
        let classes = ["read", "write", "ddl"]
        _ = try await fixture.admin { try await fixture.applier.apply($0) }
        // A login made before statement logging was turned on gets it from the next apply.
        let before = try await fixture.grant("fay@example.com")
        let logging = AccessApplier(roles: fixture.roles, statementLogging: classes)
        let plan = try await fixture.admin { try await logging.apply($0) }
        #expect(
            plan.changes.contains { $0.sql == #"ALTER ROLE "\#(before.user)" SET pgaudit.log = 'read, write, ddl'"# }
        )
        #expect(try await fixture.admin { try await logging.plan($0) }.isEmpty, "a second apply changes nothing")
        let withoutLogging = try await fixture.admin { try await fixture.applier.plan($0) }
        #expect(withoutLogging.changes.map(\.sql) == [#"ALTER ROLE "\#(before.user)" RESET pgaudit.log"#])

        let gus = try await fixture.grant("gus@example.com", statementLogging: classes)
        let marker = "audited_" + UUID().uuidString.prefix(8).lowercased()
        let query = #"SELECT email AS \#(marker) FROM "User""#
        let ran = try await Psql(url: fixture.url).run(query, user: gus.user, password: gus.password)
        #expect(ran.status == 0, "\(ran.stderr)")
        let logFile = URL(fileURLWithPath: cluster.directory).appendingPathComponent("primary.log")
        var line: Substring?
        for _ in 0..<50 where line == nil {
            let log = try String(contentsOf: logFile, encoding: .utf8)
            line = log.split(separator: "\n").first { $0.contains("AUDIT: SESSION") && $0.contains(marker) }
            if line == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(line?.contains("READ,SELECT") == true, "pgAudit logged gus's SELECT: \(String(describing: line))")
        let unaudited = try await Psql(url: fixture.url).run(
            "SELECT 1 AS \(marker)_admin",
            user: "postgres",
            password: nil
        )
        #expect(unaudited.status == 0)
        let log = try String(contentsOf: logFile, encoding: .utf8)
        #expect(!log.contains("\(marker)_admin"), "only personal logins are logged")
    }

    @Test func theServerIsJudgedByTheLoginItRunsAs() async throws {
        let fixture = try await Fixture.make()
        let inspect: @Sendable (any SQLSession) async throws -> ServerLogin? = {
            try await ServerLogin.inspect($0, roles: fixture.roles)
        }
        let beforeLayout = try #require(try await fixture.admin(inspect))
        #expect(beforeLayout.problem(roles: fixture.roles, tier: .prod) == nil, "no layout yet, nothing to run as")

        _ = try await fixture.admin { try await fixture.applier.apply($0) }
        let superuser = try #require(try await fixture.admin(inspect))
        let refusal = try #require(superuser.problem(roles: fixture.roles, tier: .prod))
        #expect(refusal.severity == .error)
        #expect(refusal.message.contains("a superuser"), "\(refusal.message)")
        #expect(refusal.hint?.contains("access grant --service server --role app") == true)
        #expect(superuser.problem(roles: fixture.roles, tier: .staging)?.severity == .warning)

        let logins = ServiceLogins(roles: fixture.roles)
        let server = try await fixture.admin {
            try await logins.grant(service: "server", role: fixture.roles.app, on: $0)
        }
        #expect(!server.description.contains(server.password))
        let app = try await fixture.session(user: server.user, password: server.password)
        #expect(try await inspect(app)?.problem(roles: fixture.roles, tier: .prod) == nil)
        #expect(await Fixture.isRefused(app, #"DROP TABLE "Order""#), "the application role cannot drop a table")
        try await app.close()

        let deploy = try await fixture.admin {
            try await logins.grant(service: "deploy", role: fixture.roles.migrator, on: $0)
        }
        let migrator = try await fixture.session(user: deploy.user, password: deploy.password)
        let asMigrator = try #require(try await inspect(migrator))
        #expect(asMigrator.problem(roles: fixture.roles, tier: .prod)?.message.contains("can run DDL") == true)
        #expect(asMigrator.problem(roles: fixture.roles, tier: .prod, deploying: true) == nil)
        try await migrator.close()

        // Re-keyed: the old password stops working; revoked: the login is gone.
        let rekeyed = try await fixture.admin {
            try await logins.grant(service: "server", role: fixture.roles.app, on: $0)
        }
        #expect(rekeyed.user == server.user && rekeyed.password != server.password)
        let old = try await Psql(url: fixture.url).run("SELECT 1", user: server.user, password: server.password)
        #expect(old.status != 0, "\(old.stdout)")
        #expect(try await fixture.admin { try await logins.revoke(service: "server", on: $0) })
        #expect(try await fixture.admin { try await logins.revoke(service: "server", on: $0) } == false)
    }
}
