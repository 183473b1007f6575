import Foundation
import WenwexAccess
import WenwexConfig
import WenwexSQL

/// The gate of a privileged command (restore, clone, reset, deploy on prod, access changes):
/// the actor must hold the permission in the environment's `[access]` policy, and what the
/// command did and how it ended are appended to the environment's audit log.
///
/// The entry goes to the database the command acted on, and only once `wenwex access apply`
/// has created the log there: a project that never adopted access control gets no new table.
/// A failed append is a warning, not a failure: the command's own work is done by then.
enum PrivilegedCommand {
    static func run<Result>(
        _ permission: String,
        command: String,
        target: String,
        in configuration: WenwexConfiguration,
        output: Output,
        _ body: () async throws -> Result
    ) async throws -> Result {
        try AccessActor.require(permission, for: command, configuration)
        let result: Result
        do {
            result = try await body()
        } catch {
            let reason = SecretMasker.maskingCredentials(in: String(describing: error))
            await audit(command, target: target, outcome: "failed", detail: reason, configuration, output)
            throw error
        }
        await audit(command, target: target, outcome: "ok", detail: "", configuration, output)
        return result
    }

    static func audit(
        _ command: String,
        target: String,
        outcome: String,
        detail: String,
        _ configuration: WenwexConfiguration,
        _ output: Output
    ) async {
        guard configuration.databases.primary.url.dialect == .postgres else { return }
        let actor = AccessActor.recorded(configuration)
        do {
            try await withGuardedPrimary(configuration) { session in
                let log = AuditLog(session: session)
                guard try await log.exists() else { return }
                try await log.append(actor: actor, action: command, target: target, outcome: outcome, detail: detail)
            }
        } catch {
            output.error("warning: \(command) could not append to the audit log: \(DatabaseErrorText.describe(error))")
        }
    }
}
