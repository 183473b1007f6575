public import Foundation
public import WenwexSQL

/// Logins for programs rather than people: the server (a member of the `app` role, so it can
/// read and write rows but never run DDL, `TRUNCATE` or drop a table) and a deploy job (a
/// member of `migrator`). They do not expire, so a running fleet keeps working; making one
/// again sets a new password (rotate by updating the servers' `DATABASE_URL`, then re-running).
public struct ServiceLogins: Sendable {
    public var roles: AccessRoles

    public init(roles: AccessRoles) {
        self.roles = roles
    }

    /// What ``grant(service:role:on:)`` hands out, once.
    public struct Login: Sendable, CustomStringConvertible {
        public var user: String
        public var password: String
        public var role: String

        /// Never the password.
        public var description: String { "\(user) (member of \(role))" }
    }

    /// `<project>_<env>_s_<name>`.
    public func user(for service: String) -> String {
        String((String(roles.read.dropLast("_read".count)) + "_s_" + AccessRoles.identifierPart(service)).prefix(63))
    }

    /// Creates (or re-keys) the login of `service` as a member of `role` only.
    public func grant(service: String, role: String, on session: any SQLSession) async throws -> Login {
        precondition(roles.all.contains(role), "a service login joins one of the environment's roles")
        let user = user(for: service)
        let password = PersonalCredentials.randomPassword()
        let quote = SQLDialect.postgres.quoteIdentifier
        try await session.inTransaction {
            let exists =
                try await session.queryText("SELECT 1 FROM pg_roles WHERE rolname = $1", [.text(user)]).count == 1
            // Literals, not binds: PostgreSQL's role commands take no parameters. Both are ours.
            try await session.execute(
                "\(unsafeRaw: exists ? "ALTER" : "CREATE") ROLE \(unsafeRaw: quote(user)) LOGIN PASSWORD '\(unsafeRaw: password)' VALID UNTIL 'infinity'"
            )
            for other in roles.all where other != role {
                try await session.execute("REVOKE \(unsafeRaw: quote(other)) FROM \(unsafeRaw: quote(user))")
            }
            try await session.execute("GRANT \(unsafeRaw: quote(role)) TO \(unsafeRaw: quote(user))")
            try await PersonalCredentials.ensureLoginsRole(session)
            try await session.execute(
                "GRANT \(unsafeRaw: quote(PersonalCredentials.loginsRole)) TO \(unsafeRaw: quote(user))"
            )
            let comment = "wenwex service \(AccessRoles.identifierPart(service)) role \(role)"
            try await session.execute("COMMENT ON ROLE \(unsafeRaw: quote(user)) IS '\(unsafeRaw: comment)'")
        }
        return Login(user: user, password: password, role: role)
    }

    /// Drops the service's login, ending its sessions; `false` when it had none.
    @discardableResult
    public func revoke(service: String, on session: any SQLSession) async throws -> Bool {
        try await PersonalCredentials(roles: roles).dropLogin(user(for: service), on: session)
    }
}
