public import Foundation
public import WenwexSQL

/// Short-lived personal logins: a `LOGIN` role per person and environment, a member of one
/// group role, with a random password shown once and `VALID UNTIL` its expiry.
///
/// The real boundary is that a person without a grant holds no credentials that work, so
/// revoking also ends the person's open sessions (in Vault, revoked users keep theirs:
/// hashicorp/vault#699) and drops what the login owns; `sweep` does the same for every login
/// whose time ran out. Each login's comment records whose it is, so the sweep finds them.
///
/// `VALID UNTIL` is enforced only when PostgreSQL checks a password, so every login Wenwex
/// makes (personal and ``ServiceLogins``) is also a member of ``loginsRole``: one `pg_hba.conf`
/// line (`host all +wenwex_logins all scram-sha-256`, above any `trust` line) makes each need
/// its password, and an expired one stop working, whatever else the file trusts.
public struct PersonalCredentials: Sendable {
    public var roles: AccessRoles
    /// pgAudit's `pgaudit.log` classes set on each login made (empty: none); see
    /// `AccessPolicySettings.statementLogging`.
    public var statementLogging: [String]

    /// The cluster-wide `NOLOGIN` role every login Wenwex makes is a member of, for `pg_hba.conf`.
    public static let loginsRole = "wenwex_logins"

    public init(roles: AccessRoles, statementLogging: [String] = []) {
        self.roles = roles
        self.statementLogging = statementLogging
    }

    /// What `grant` hands out, once.
    public struct Credential: Sendable, CustomStringConvertible {
        public var user: String
        public var password: String
        public var role: String
        public var validUntil: Date

        /// Never the password: print ``password`` deliberately, once.
        public var description: String { "\(user) (member of \(role), valid until \(validUntil.formatted(.iso8601)))" }
    }

    /// The login name for `person` (an email): `<project>_<env>_u_<local part>_<hash>`.
    public func user(for person: String) -> String {
        let local = AccessRoles.identifierPart(String(person.prefix { $0 != "@" }))
        var hash: UInt32 = 2_166_136_261
        for byte in person.lowercased().utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return String((loginPrefix + local).prefix(54)) + "_" + String(hash & 0xFF_FFFF, radix: 16)
    }

    /// What every personal login of this environment starts with: `<project>_<env>_u_`.
    public var loginPrefix: String { String(roles.read.dropLast("_read".count)) + "_u_" }

    /// A `LIKE` pattern matching names that start with `prefix` (its `_` taken literally).
    static func likePattern(prefix: String) -> String {
        prefix.replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// Creates (or renews) `person`'s login as a member of `role` only, valid for `ttl`.
    public func grant(person: String, role: String, ttl: Duration, on session: any SQLSession, now: Date = Date())
        async throws -> Credential
    {
        precondition(roles.all.contains(role), "a personal login joins one of the environment's roles")
        if !statementLogging.isEmpty { try await StatementLogging.requirePreloaded(session) }
        let user = user(for: person)
        let password = Self.randomPassword()
        let validUntil = now.addingTimeInterval(Double(ttl.components.seconds))
        let until = ISO8601DateFormatter().string(from: validUntil)
        let quote = SQLDialect.postgres.quoteIdentifier
        try await session.inTransaction {
            let exists =
                try await session.queryText("SELECT 1 FROM pg_roles WHERE rolname = $1", [.text(user)]).count == 1
            let verb = exists ? "ALTER" : "CREATE"
            // Literals, not binds: PostgreSQL's role commands take no parameters. Both are ours.
            try await session.execute(
                "\(unsafeRaw: verb) ROLE \(unsafeRaw: quote(user)) LOGIN PASSWORD '\(unsafeRaw: password)' VALID UNTIL '\(unsafeRaw: until)'"
            )
            for other in roles.all where other != role {
                try await session.execute("REVOKE \(unsafeRaw: quote(other)) FROM \(unsafeRaw: quote(user))")
            }
            try await session.execute("GRANT \(unsafeRaw: quote(role)) TO \(unsafeRaw: quote(user))")
            try await Self.ensureLoginsRole(session)
            try await session.execute("GRANT \(unsafeRaw: quote(Self.loginsRole)) TO \(unsafeRaw: quote(user))")
            if let setting = StatementLogging.setting(statementLogging) {
                try await session.execute("ALTER ROLE \(unsafeRaw: quote(user)) SET \(unsafeRaw: setting)")
            }
            let comment = "wenwex person \(person) role \(role) until \(until)".replacingOccurrences(
                of: "'",
                with: "''"
            )
            try await session.execute("COMMENT ON ROLE \(unsafeRaw: quote(user)) IS '\(unsafeRaw: comment)'")
        }
        return Credential(user: user, password: password, role: role, validUntil: validUntil)
    }

    /// Creates ``loginsRole`` when this cluster has none yet.
    /// Two environments of one cluster may grant at once: the loser of the race keeps the
    /// winner's role.
    static func ensureLoginsRole(_ session: any SQLSession) async throws {
        let exists = try await session.queryText("SELECT 1 FROM pg_roles WHERE rolname = $1", [.text(loginsRole)])
        guard exists.isEmpty else { return }
        try await session.execute(
            """
            DO $$ BEGIN CREATE ROLE \(unsafeRaw: SQLDialect.postgres.quoteIdentifier(loginsRole)) NOLOGIN;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$
            """
        )
    }

    /// Ends `person`'s login: its sessions are terminated, what it owns is handed to the
    /// migrator, and the role is dropped. `false` when the person had none.
    @discardableResult
    public func revoke(person: String, on session: any SQLSession) async throws -> Bool {
        try await dropLogin(user(for: person), on: session)
    }

    /// Revokes every login of this environment whose `VALID UNTIL` has passed; returns their names.
    public func sweep(on session: any SQLSession) async throws -> [String] {
        let expired = try await session.queryText(
            """
            SELECT rolname FROM pg_roles
            WHERE rolname LIKE $1 AND rolvaliduntil IS NOT NULL AND rolvaliduntil < now()
              AND shobj_description(oid, 'pg_authid') LIKE 'wenwex person %'
            ORDER BY rolname
            """,
            [.text(Self.likePattern(prefix: loginPrefix))]
        ).compactMap { $0[0] }
        for user in expired { try await dropLogin(user, on: session) }
        return expired
    }

    /// Ends `user`'s sessions, hands what it owns to the migrator and drops it; `false` when
    /// there is no such role.
    func dropLogin(_ user: String, on session: any SQLSession) async throws -> Bool {
        let quote = SQLDialect.postgres.quoteIdentifier
        guard try await session.queryText("SELECT 1 FROM pg_roles WHERE rolname = $1", [.text(user)]).count == 1 else {
            return false
        }
        // No new sessions first, then the open ones end.
        try await session.execute("ALTER ROLE \(unsafeRaw: quote(user)) NOLOGIN")
        _ = try await session.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()",
            [.text(user)]
        )
        try await session.execute("REASSIGN OWNED BY \(unsafeRaw: quote(user)) TO \(unsafeRaw: quote(roles.migrator))")
        try await session.execute("DROP OWNED BY \(unsafeRaw: quote(user))")
        try await session.execute("DROP ROLE \(unsafeRaw: quote(user))")
        return true
    }

    /// 32 characters from a 62-letter alphabet: about 190 bits.
    static func randomPassword() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
