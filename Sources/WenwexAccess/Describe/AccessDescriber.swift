public import WenwexSQL

/// Reads an ``AccessState`` from a PostgreSQL database.
public struct AccessDescriber: Sendable {
    public var roles: AccessRoles
    public var schema: String

    public init(roles: AccessRoles, schema: String = "public") {
        self.roles = roles
        self.schema = schema
    }

    public func describe(_ session: any SQLSession) async throws -> AccessState {
        var state = AccessState()
        state.schema = schema
        let names = "{" + roles.all.joined(separator: ",") + "}"
        for row in try await session.queryText(
            "SELECT rolname, rolcanlogin::text FROM pg_roles WHERE rolname = ANY($1::text[])",
            [.text(names)]
        ) {
            guard let name = row[0] else { continue }
            state.roles[name] = .init(name: name, canLogin: row[1] == "true")
        }
        // aclexplode's grantee 0 is PUBLIC.
        let grantee = "CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END"
        let database = try await session.queryText(
            """
            SELECT current_database(), \(unsafeRaw: grantee), a.privilege_type
            FROM pg_database d LEFT JOIN LATERAL aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a ON true
            WHERE d.datname = current_database()
            """
        )
        for row in database {
            state.database = row[0] ?? ""
            if let who = row[1], let privilege = row[2] { state.databasePrivileges[who, default: []].insert(privilege) }
        }
        for row in try await session.queryText(
            """
            SELECT pg_get_userbyid(n.nspowner), \(grantee), a.privilege_type
            FROM pg_namespace n LEFT JOIN LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a ON true
            WHERE n.nspname = $1
            """,
            [.text(schema)]
        ) {
            state.schemaOwner = row[0] ?? ""
            if let who = row[1], let privilege = row[2] { state.schemaPrivileges[who, default: []].insert(privilege) }
        }
        for row in try await session.queryText(
            """
            SELECT c.relname, c.relkind::text, pg_get_userbyid(c.relowner), \(grantee), a.privilege_type
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) a ON true
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
            """,
            [.text(schema)]
        ) {
            guard let name = row[0], let kind = row[1], let owner = row[2] else { continue }
            if kind == "S" {
                state.sequenceOwners[name] = owner
                if let who = row[3], let privilege = row[4] {
                    state.sequencePrivileges[name, default: [:]][who, default: []].insert(privilege)
                }
            } else {
                state.tableOwners[name] = owner
                if let who = row[3], let privilege = row[4] {
                    state.tablePrivileges[name, default: [:]][who, default: []].insert(privilege)
                }
            }
        }
        for row in try await session.queryText(
            """
            SELECT d.defaclobjtype::text, \(grantee), a.privilege_type
            FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace
            CROSS JOIN LATERAL aclexplode(d.defaclacl) a
            WHERE n.nspname = $1 AND d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = $2)
            """,
            [.text(schema), .text(roles.migrator)]
        ) {
            guard let kind = row[0], let who = row[1], let privilege = row[2] else { continue }
            state.defaultPrivileges[kind, default: [:]][who, default: []].insert(privilege)
        }
        // Role settings made by ALTER ROLE … SET (for every database) are `setdatabase = 0`.
        for row in try await session.queryText(
            """
            SELECT r.rolname, (SELECT substr(c, length('pgaudit.log=') + 1) FROM unnest(s.setconfig) c
                               WHERE c LIKE 'pgaudit.log=%')
            FROM pg_roles r LEFT JOIN pg_db_role_setting s ON s.setrole = r.oid AND s.setdatabase = 0
            WHERE r.rolname LIKE $1 AND shobj_description(r.oid, 'pg_authid') LIKE 'wenwex person %'
            """,
            [.text(PersonalCredentials.likePattern(prefix: PersonalCredentials(roles: roles).loginPrefix))]
        ) {
            guard let name = row[0] else { continue }
            state.personalLogins[name] = row[1]
        }
        return state
    }
}
