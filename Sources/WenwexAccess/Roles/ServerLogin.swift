public import WenwexConfig
public import WenwexSQL

/// Who a server is connected as, next to the environment's least-privilege layout: the check
/// that makes "the server runs as the application role" hold once `access apply` has run.
///
/// A server that logs in as a superuser or as a member of the migrator can drop tables when an
/// attacker gets a query through; one that is only in `app` cannot. Servers of environments
/// without the layout are not judged (there is no `app` role to run as yet).
public struct ServerLogin: Sendable, Hashable {
    public var user: String
    public var isSuperuser: Bool
    /// Whether `AccessRoles/app` exists: the layout is applied here.
    public var layoutApplied: Bool
    public var isAppMember: Bool
    public var isMigratorMember: Bool

    /// Reads the session's login and its memberships. PostgreSQL only; `nil` on SQLite.
    public static func inspect(_ session: any SQLSession, roles: AccessRoles) async throws -> ServerLogin? {
        guard session.dialect == .postgres else { return nil }
        let rows = try await session.queryText(
            """
            SELECT session_user::text, r.rolsuper::text, (a.oid IS NOT NULL)::text,
                   coalesce(pg_has_role(session_user, a.oid, 'MEMBER'), false)::text,
                   coalesce(pg_has_role(session_user, m.oid, 'MEMBER'), false)::text
            FROM pg_roles r
            LEFT JOIN pg_roles a ON a.rolname = $1
            LEFT JOIN pg_roles m ON m.rolname = $2
            WHERE r.rolname = session_user
            """,
            [.text(roles.app), .text(roles.migrator)]
        )
        guard let row = rows.first else { return nil }
        return ServerLogin(
            user: row[0] ?? "",
            isSuperuser: row[1] == "true",
            layoutApplied: row[2] == "true",
            isAppMember: row[3] == "true",
            isMigratorMember: row[4] == "true"
        )
    }

    /// What is wrong with serving requests as this login, or `nil`: a superuser, a member of
    /// the migrator, or a login outside `app` once the layout exists. `deploying` allows the
    /// migrator, for a server that applies its own migrations at start. Production refuses to
    /// start on it (`.error`); other tiers are warned.
    public func problem(roles: AccessRoles, tier: Tier, deploying: Bool = false) -> ConfigurationProblem? {
        guard layoutApplied else { return nil }
        let message: String
        if isSuperuser {
            message = "the server connects as \(user), a superuser, though \(roles.app) exists for it"
        } else if isMigratorMember, !deploying {
            message = "the server connects as \(user), a member of \(roles.migrator), which can run DDL and drop tables"
        } else if !isAppMember, !isMigratorMember {
            message = "the server connects as \(user), which is not a member of \(roles.app)"
        } else {
            return nil
        }
        return ConfigurationProblem(
            severity: tier == .prod ? .error : .warning,
            subject: "DATABASE_URL",
            location: nil,
            message: message,
            hint:
                "connect the server as a login in \(roles.app) only: wenwex access grant --service server --role app makes one"
        )
    }
}
