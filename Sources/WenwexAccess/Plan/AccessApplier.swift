public import WenwexSQL

/// Describes, plans and applies in one transaction, as the environment's admin.
public struct AccessApplier: Sendable {
    public var roles: AccessRoles
    public var schema: String
    /// pgAudit classes logged for personal logins (`[access] pgaudit`); empty: none.
    public var statementLogging: [String]

    public init(roles: AccessRoles, schema: String = "public", statementLogging: [String] = []) {
        self.roles = roles
        self.schema = schema
        self.statementLogging = statementLogging
    }

    /// The plan for the database `session` is connected to. Throws
    /// ``AccessError/pgAuditNotLoaded`` when statement logging is asked of a server without it.
    public func plan(_ session: any SQLSession) async throws -> AccessPlan {
        if !statementLogging.isEmpty { try await StatementLogging.requirePreloaded(session) }
        return try await AccessPlan(
            roles: roles,
            state: AccessDescriber(roles: roles, schema: schema).describe(session),
            statementLogging: statementLogging
        )
    }

    /// Applies the plan in one transaction (all of it or none) and returns what it changed.
    /// Creating roles and handing objects over needs a superuser or `CREATEROLE` owner.
    @discardableResult
    public func apply(_ session: any SQLSession) async throws -> AccessPlan {
        try await session.inTransaction {
            // The audit log is part of the layout: its grants are planned with the rest.
            try await AuditLog(session: session).prepare()
            let plan = try await plan(session)
            for change in plan.changes { try await session.execute(change.sql, []) }
            return plan
        }
    }
}
