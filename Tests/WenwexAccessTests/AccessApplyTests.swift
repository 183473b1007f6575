import Foundation
import Testing
import WenwexAccess
import WenwexConfig
import WenwexSQL
import WenwexTestSupport

/// The least-privilege layout applied to a real PostgreSQL database, and enforced by it:
/// logins that are members of each role try what the role must and must not do.
@Suite("Access roles on PostgreSQL", .enabled(if: PostgresAvailability.shouldRun))
struct AccessApplyTests {
    /// A database with two tables, a sequence-backed key and the bookkeeping tables, and a
    /// project name of its own (roles are cluster-wide).
    struct Fixture {
        let url: String
        let roles: AccessRoles
        let applier: AccessApplier

        static func make() async throws -> Fixture {
            let url = try await SharedPostgres.freshDatabase(prefix: "access")
            let roles = AccessRoles(project: "p" + UUID().uuidString.prefix(8).lowercased(), environment: "prod")
            try await DatabaseConnector.withSession(try DatabaseURL(url)) { session in
                try await session.execute(#"CREATE TABLE "User" (id SERIAL PRIMARY KEY, email TEXT NOT NULL)"#, [])
                try await session.execute(
                    #"CREATE TABLE "Order" (id SERIAL PRIMARY KEY, "userId" INT REFERENCES "User"(id))"#,
                    []
                )
                try await session.execute(#"CREATE TABLE "_prisma_migrations" (id TEXT PRIMARY KEY)"#, [])
                try await session.execute(#"INSERT INTO "User" (email) VALUES ('a@example.com')"#, [])
            }
            return Fixture(url: url, roles: roles, applier: AccessApplier(roles: roles))
        }

        func admin<T: Sendable>(_ body: (any SQLSession) async throws -> T) async throws -> T {
            try await DatabaseConnector.withSession(try DatabaseURL(url), body)
        }

        /// A login that is a member of `role`, as a person or the server would be.
        func login(as role: String) async throws -> any SQLSession {
            let user = role + "_" + UUID().uuidString.prefix(6).lowercased()
            try await admin { try await $0.execute("CREATE ROLE \(unsafeRaw: user) LOGIN IN ROLE \(unsafeRaw: role)") }
            return try await DatabaseConnector.open(
                try DatabaseURL(url.replacingOccurrences(of: "//postgres@", with: "//\(user)@"))
            )
        }

        /// A personal login for `person` in `role` (default: read), as `access grant` makes it.
        func grant(
            _ person: String,
            role: String? = nil,
            ttl: Duration = .seconds(3600),
            now: Date = Date(),
            statementLogging: [String] = []
        ) async throws -> PersonalCredentials.Credential {
            try await admin {
                try await PersonalCredentials(roles: roles, statementLogging: statementLogging).grant(
                    person: person,
                    role: role ?? roles.read,
                    ttl: ttl,
                    on: $0,
                    now: now
                )
            }
        }

        /// A session of a login made by Wenwex, with its password (personal logins need it).
        func session(user: String, password: String) async throws -> any SQLSession {
            try await DatabaseConnector.open(try DatabaseURL(url(user: user, password: password)))
        }

        func url(user: String, password: String) -> String {
            url.replacingOccurrences(of: "//postgres@", with: "//\(user):\(password)@")
        }

        /// Whether `sql` is refused with SQLSTATE 42501 (insufficient privilege).
        static func isRefused(_ session: any SQLSession, _ sql: String) async -> Bool {
            do {
                try await session.execute(sql, [])
                return false
            } catch {
                return DatabaseErrorText.sqlState(error) == "42501"
            }
        }
    }

    @Test func applyIsIdempotentAndTheDatabaseEnforcesEachRole() async throws {
        let fixture = try await Fixture.make()
        let first = try await fixture.admin { try await fixture.applier.apply($0) }
        #expect(first.changes.contains { $0.sql.hasPrefix("CREATE ROLE") })
        #expect(
            try await fixture.admin { try await fixture.applier.plan($0) }.isEmpty,
            "a second apply changes nothing"
        )

        let reader = try await fixture.login(as: fixture.roles.read)
        #expect(try await reader.queryText(#"SELECT email FROM "User""#, []).first == ["a@example.com"])
        for statement in [
            #"INSERT INTO "User" (email) VALUES ('x')"#, #"UPDATE "User" SET email = 'y'"#, #"DELETE FROM "User""#,
            #"TRUNCATE "User""#, #"CREATE TABLE "Evil" (id INT)"#, #"ALTER TABLE "User" ADD COLUMN evil INT"#,
        ] {
            #expect(await Fixture.isRefused(reader, statement), "read: \(statement)")
        }
        try await reader.close()

        let app = try await fixture.login(as: fixture.roles.app)
        try await app.execute(#"INSERT INTO "User" (email) VALUES ('b@example.com')"#, [])
        try await app.execute(#"UPDATE "User" SET email = 'c@example.com' WHERE email = 'b@example.com'"#, [])
        for statement in [
            #"DROP TABLE "Order""#, #"TRUNCATE "User""#, #"CREATE TABLE "Evil" (id INT)"#,
        ] {
            #expect(await Fixture.isRefused(app, statement), "app: \(statement)")
        }
        try await app.close()

        // The migrator runs DDL; what it creates later is covered by the default privileges.
        let migrator = try await fixture.login(as: fixture.roles.migrator)
        try await migrator.execute("SET ROLE \(unsafeRaw: fixture.roles.migrator)")
        try await migrator.execute(#"CREATE TABLE "Tag" (id SERIAL PRIMARY KEY, name TEXT)"#, [])
        try await migrator.execute(#"ALTER TABLE "User" ADD COLUMN "name" TEXT"#, [])
        try await migrator.close()
        let laterReader = try await fixture.login(as: fixture.roles.read)
        #expect(try await laterReader.queryText(#"SELECT count(*)::text FROM "Tag""#, []).first == ["0"])
        #expect(await Fixture.isRefused(laterReader, #"INSERT INTO "Tag" (name) VALUES ('x')"#))
        try await laterReader.close()
        #expect(try await fixture.admin { try await fixture.applier.plan($0) }.isEmpty, "still nothing to change")
    }

    @Test func aGrantMadeByHandIsDriftAndApplyTakesItBack() async throws {
        let fixture = try await Fixture.make()
        _ = try await fixture.admin { try await fixture.applier.apply($0) }
        try await fixture.admin { session in
            try await session.execute(#"GRANT INSERT, TRUNCATE ON "User" TO \#(unsafeRaw: fixture.roles.read)"#)
            try await session.execute(#"GRANT SELECT ON "Order" TO PUBLIC"#)
        }
        let plan = try await fixture.admin { try await fixture.applier.plan($0) }
        #expect(
            plan.drift.map(\.summary).sorted() == [
                "revoke INSERT, TRUNCATE on User from \(fixture.roles.read) (granted by hand)",
                "revoke SELECT on Order from PUBLIC",
            ],
            "\(plan.changes)"
        )
        _ = try await fixture.admin { try await fixture.applier.apply($0) }
        #expect(try await fixture.admin { try await fixture.applier.plan($0) }.isEmpty)
        let reader = try await fixture.login(as: fixture.roles.read)
        #expect(await Fixture.isRefused(reader, #"INSERT INTO "User" (email) VALUES ('x')"#))
        try await reader.close()
    }

    @Test func personalCredentialsAreScopedRevokedWithTheirSessionsAndSweptWhenExpired() async throws {
        let fixture = try await Fixture.make()
        _ = try await fixture.admin { try await fixture.applier.apply($0) }
        let credentials = PersonalCredentials(roles: fixture.roles)
        let alice = try await fixture.grant("alice@example.com")
        #expect(!alice.description.contains(alice.password), "the password is shown only on purpose")
        #expect(alice.password.count == 32)
        let session = try await fixture.session(user: alice.user, password: alice.password)
        #expect(try await session.queryText(#"SELECT count(*)::text FROM "User""#, []).first == ["1"])
        #expect(await Fixture.isRefused(session, #"DELETE FROM "User""#), "a developer's prod login is read-only")

        // Granted again as a writer: the same login, now only a writer.
        let renewed = try await fixture.grant("alice@example.com", role: fixture.roles.write, ttl: .seconds(60))
        #expect(renewed.user == alice.user)
        let memberships = try await fixture.admin { session in
            try await session.queryText(
                "SELECT b.rolname FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = $1",
                [.text(alice.user)]
            ).compactMap { $0[0] }
        }
        #expect(
            memberships.sorted() == [fixture.roles.write, PersonalCredentials.loginsRole].sorted(),
            "one group role, and the marker pg_hba.conf asks a password of"
        )

        // Revoking ends the open session, not only future ones.
        #expect(try await fixture.admin { try await credentials.revoke(person: "alice@example.com", on: $0) })
        await #expect(throws: (any Error).self) { _ = try await session.queryText("SELECT 1", []) }
        try? await session.close()
        #expect(try await fixture.admin { try await credentials.revoke(person: "alice@example.com", on: $0) } == false)

        // The sweep removes logins whose time ran out and keeps the others.
        let expired = try await fixture.grant(
            "bob@example.com",
            ttl: .seconds(60),
            now: Date().addingTimeInterval(-3600)
        )
        let current = try await fixture.grant("carol@example.com")
        let swept = try await fixture.admin { try await credentials.sweep(on: $0) }
        #expect(swept == [expired.user])
        #expect(try await fixture.admin { try await credentials.revoke(person: "carol@example.com", on: $0) })
        _ = current
    }
}
