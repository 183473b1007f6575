import ArgumentParser
import Foundation
import WenwexAccess
import WenwexConfig
import WenwexSQL

/// `wenwex audit …`: the environment's hash-chained audit log.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read and verify the environment's tamper-evident audit log.",
        discussion: """
            Privileged commands (access apply, grant, revoke, sweep) append a row to \
            _wenwex_audit in the environment's database: who, what, target, when, outcome. Each \
            row's SHA-256 covers its content and the previous row's hash, and triggers refuse \
            UPDATE, DELETE and TRUNCATE to every role but the table's owner.
            """,
        subcommands: [AuditLogCommand.self, AuditVerifyCommand.self]
    )
}

struct AuditLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Print the audit log, oldest first.")

    @OptionGroup var project: ProjectOptions

    @Option(help: "Only entries from this time on (an ISO 8601 prefix: 2026-12-01 or 2026-12-01T10).")
    var since: String?

    @Flag(help: "One JSON document.")
    var json = false

    func run() async throws {
        let output = Output(json: json)
        let context = try AccessContext.load(project, output: output)
        let entries = try await context.withAdmin { try await AuditLog(session: $0).entries(since: since) }
        if json { return output.emit(entries) }
        for entry in entries {
            output.line(
                "\(entry.sequence)  \(entry.at)  \(entry.actor)  \(entry.action)  \(entry.target)  \(entry.outcome)\(entry.detail.isEmpty ? "" : "  " + entry.detail)"
            )
        }
        if entries.isEmpty { output.line("The audit log is empty.") }
    }
}

struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the hash chain; exit 1 naming the first row that was edited, deleted, inserted or moved."
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        let output = Output(json: false)
        let context = try AccessContext.load(project, output: output)
        let result = try await context.withAdmin { try await AuditLog(session: $0).verify() }
        if let problem = result.problem {
            throw CLIFailure(
                "the audit log was tampered with: \(problem)",
                fix: "compare with a backup of the database",
                code: .problem
            )
        }
        output.line("The audit log's \(result.entries) entries form an unbroken chain.")
    }
}

extension AccessContext {
    /// Appends what a privileged command did to the environment's audit log.
    func audit(_ action: String, target: String, outcome: String = "ok", detail: String = "") async throws {
        let actor = AccessActor.recorded(configuration)
        _ = try await withAdmin { session in
            try await AuditLog(session: session).append(
                actor: actor,
                action: action,
                target: target,
                outcome: outcome,
                detail: detail
            )
        }
    }
}
