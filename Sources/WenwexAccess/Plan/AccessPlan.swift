import WenwexSQL

/// What `wenwex access apply` changes to make a database match the least-privilege layout of
/// ``AccessRoles``: one line per change, each with its SQL. Empty when the database already
/// matches, which is how `access status` reports no drift and a second `apply` changes nothing.
public struct AccessPlan: Sendable, Hashable {
    public struct Change: Sendable, Hashable, CustomStringConvertible {
        /// What and why, for people: `revoke INSERT on "Order" from shop_prod_read (granted by hand)`.
        public var summary: String
        public var sql: String
        /// A grant or privilege that is there but should not be: something changed by hand.
        public var isDrift: Bool

        public var description: String { summary }
    }

    public var changes: [Change]
    public var isEmpty: Bool { changes.isEmpty }
    /// Changes that undo something done by hand (as opposed to setting up what is missing).
    public var drift: [Change] { changes.filter(\.isDrift) }

    /// The plan from `state` (as ``AccessDescriber`` read it) to the layout, with pgAudit's
    /// `statementLogging` classes on every personal login (none: the setting removed).
    public init(roles: AccessRoles, state: AccessState, statementLogging: [String] = []) {
        var changes: [Change] = []
        let quote = SQLDialect.postgres.quoteIdentifier
        let schema = quote(state.schema)
        func add(_ summary: String, _ sql: String, drift: Bool = false) {
            changes.append(Change(summary: summary, sql: sql, isDrift: drift))
        }

        for role in roles.all {
            if let existing = state.roles[role] {
                if existing.canLogin {
                    add("make \(role) a group role (it can log in)", "ALTER ROLE \(quote(role)) NOLOGIN", drift: true)
                }
            } else {
                add("create group role \(role)", "CREATE ROLE \(quote(role)) NOLOGIN")
            }
        }

        // The database: CONNECT for the four roles, nothing for PUBLIC.
        let database = quote(state.database)
        for role in roles.all where !(state.databasePrivileges[role] ?? []).contains("CONNECT") {
            add("let \(role) connect to \(state.database)", "GRANT CONNECT ON DATABASE \(database) TO \(quote(role))")
        }
        for privilege in (state.databasePrivileges["PUBLIC"] ?? []).sorted() {
            add(
                "revoke \(privilege) on database \(state.database) from PUBLIC",
                "REVOKE \(privilege) ON DATABASE \(database) FROM PUBLIC",
                drift: privilege != "CONNECT" && privilege != "TEMPORARY"
            )
        }

        // The schema: owned by the migrator, USAGE for the others, nothing for PUBLIC.
        if state.schemaOwner != roles.migrator {
            add(
                "hand schema \(state.schema) to \(roles.migrator)",
                "ALTER SCHEMA \(schema) OWNER TO \(quote(roles.migrator))"
            )
        }
        for role in [roles.read, roles.write, roles.app] {
            let has = state.schemaPrivileges[role] ?? []
            if !has.contains("USAGE") {
                add("let \(role) use schema \(state.schema)", "GRANT USAGE ON SCHEMA \(schema) TO \(quote(role))")
            }
            for extra in has.subtracting(["USAGE"]).sorted() {
                add(
                    "revoke \(extra) on schema \(state.schema) from \(role)",
                    "REVOKE \(extra) ON SCHEMA \(schema) FROM \(quote(role))",
                    drift: true
                )
            }
        }
        for privilege in (state.schemaPrivileges["PUBLIC"] ?? []).sorted() {
            add(
                "revoke \(privilege) on schema \(state.schema) from PUBLIC",
                "REVOKE \(privilege) ON SCHEMA \(schema) FROM PUBLIC"
            )
        }

        // Every table and view, and every sequence; objects the migrator creates later get the
        // same grants through its default privileges.
        let tableGrants: [String: Set<String>] = [
            roles.read: ["SELECT"], roles.write: ["SELECT", "INSERT", "UPDATE", "DELETE"],
            roles.app: ["SELECT", "INSERT", "UPDATE", "DELETE"],
        ]
        let sequenceGrants: [String: Set<String>] = [
            roles.read: ["SELECT"], roles.write: ["SELECT", "USAGE"], roles.app: ["SELECT", "USAGE"],
        ]
        for table in state.tableOwners.keys.sorted() {
            let name = schema + "." + quote(table)
            // The audit log stays the admin's: its owner is the one role that could rewrite it.
            let isAuditLog = table == AuditLog.tableName
            if state.tableOwners[table] != roles.migrator, !isAuditLog {
                add("hand \(table) to \(roles.migrator)", "ALTER TABLE \(name) OWNER TO \(quote(roles.migrator))")
            }
            let appendOnly: Set = ["SELECT", "INSERT"]
            let wanted: [String: Set<String>] =
                isAuditLog ? [roles.read: ["SELECT"], roles.write: appendOnly, roles.app: appendOnly] : tableGrants
            changes += Self.privilegeChanges(
                on: "TABLE \(name)",
                label: table,
                wanted: wanted,
                have: state.tablePrivileges[table] ?? [:],
                roles: roles
            )
        }
        for sequence in state.sequenceOwners.keys.sorted() {
            changes += Self.privilegeChanges(
                on: "SEQUENCE \(schema).\(quote(sequence))",
                label: sequence,
                wanted: sequenceGrants,
                have: state.sequencePrivileges[sequence] ?? [:],
                roles: roles
            )
        }
        let defaultsPrefix = "ALTER DEFAULT PRIVILEGES FOR ROLE \(quote(roles.migrator)) IN SCHEMA \(schema) "
        for (kind, noun, wanted) in [("r", "TABLES", tableGrants), ("S", "SEQUENCES", sequenceGrants)] {
            changes += Self.privilegeChanges(
                on: noun,
                label: "future \(noun.lowercased())",
                wanted: wanted,
                have: state.defaultPrivileges[kind] ?? [:],
                roles: roles,
                statementPrefix: defaultsPrefix,
                revokesPublic: false
            )
        }
        // Statement logging of personal logins, set on each (and on new ones by `grant`).
        let wantedLogging = statementLogging.isEmpty ? nil : StatementLogging.value(statementLogging)
        for (login, logging) in state.personalLogins.sorted(by: { $0.key < $1.key }) where logging != wantedLogging {
            if let setting = StatementLogging.setting(statementLogging) {
                add("log \(login)'s statements with pgAudit", "ALTER ROLE \(quote(login)) SET \(setting)")
            } else {
                add("stop logging \(login)'s statements", "ALTER ROLE \(quote(login)) RESET pgaudit.log")
            }
        }
        self.changes = changes
    }

    /// GRANTs for what a role lacks, REVOKEs (drift) for what it holds beyond that, and (unless
    /// `revokesPublic` is off) REVOKEs of everything `PUBLIC` holds. `statementPrefix` turns the
    /// statements into `ALTER DEFAULT PRIVILEGES …` ones.
    private static func privilegeChanges(
        on object: String,
        label: String,
        wanted: [String: Set<String>],
        have: [String: Set<String>],
        roles: AccessRoles,
        statementPrefix: String = "",
        revokesPublic: Bool = true
    ) -> [Change] {
        var changes: [Change] = []
        let quote = SQLDialect.postgres.quoteIdentifier
        for role in [roles.read, roles.write, roles.app] {
            let missing = (wanted[role] ?? []).subtracting(have[role] ?? [])
            if !missing.isEmpty {
                let list = missing.sorted().joined(separator: ", ")
                changes.append(
                    .init(
                        summary: "grant \(list) on \(label) to \(role)",
                        sql: "\(statementPrefix)GRANT \(list) ON \(object) TO \(quote(role))",
                        isDrift: false
                    )
                )
            }
            let extra = (have[role] ?? []).subtracting(wanted[role] ?? [])
            if !extra.isEmpty {
                let list = extra.sorted().joined(separator: ", ")
                changes.append(
                    .init(
                        summary: "revoke \(list) on \(label) from \(role) (granted by hand)",
                        sql: "\(statementPrefix)REVOKE \(list) ON \(object) FROM \(quote(role))",
                        isDrift: true
                    )
                )
            }
        }
        if revokesPublic, let publicPrivileges = have["PUBLIC"], !publicPrivileges.isEmpty {
            let list = publicPrivileges.sorted().joined(separator: ", ")
            changes.append(
                .init(
                    summary: "revoke \(list) on \(label) from PUBLIC",
                    sql: "REVOKE \(list) ON \(object) FROM PUBLIC",
                    isDrift: true
                )
            )
        }
        return changes
    }
}
