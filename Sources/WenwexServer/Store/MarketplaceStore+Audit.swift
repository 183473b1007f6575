import WenwexAccess
import WenwexRouting
import WenwexSQL

extension MarketplaceStore {
    /// Appends an admin action (a ban, a role change) to the environment's audit log, where
    /// `wenwex audit log` and `audit verify` see it beside the operators' commands. Only on
    /// PostgreSQL, and only once `wenwex access apply` has made the log: the server's role
    /// may append to it but not create it.
    func audit(actor: Identity, action: String, target: String, detail: String = "") async throws {
        _ = try await database.write { session in
            guard session.dialect == .postgres else { return }
            let log = AuditLog(session: session)
            guard try await log.exists() else { return }
            try await log.append(
                actor: "user \(actor.userID)",
                action: action,
                target: target,
                outcome: "ok",
                detail: detail
            )
        }
    }

    /// Sets a user's role; `false` when there is no such user.
    func setRole(id: Int, _ role: Identity.Role) async throws -> Written<Bool> {
        try await database.write { session in
            // A literal, not a bind: PostgreSQL's column is the enum type "Role", which a text
            // parameter does not convert to; the value is one of ours.
            try await !session.query(
                "UPDATE users SET role = '\(role.rawValue)', updated_at = CURRENT_TIMESTAMP WHERE id = $1 RETURNING id",
                [.integer(id)]
            ).isEmpty
        }
    }
}
