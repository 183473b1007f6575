import ArgumentParser
import Foundation
import WenwexOps

struct BackupPruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete the backups a retention policy does not keep.",
        discussion: """
            Each period keeps the newest backup of each of its N most recent periods (UTC) that \
            have one; the newest verified backup is always kept. Payloads of backups that never \
            finished (no manifest, older than an hour) are removed too.
            """
    )

    @OptionGroup var options: MigrateOptions

    @Option(help: "The policy, e.g. \"24 hourly, 7 daily, 4 weekly, 12 monthly\" (also: yearly).")
    var keep: String = "24 hourly, 7 daily, 4 weekly, 12 monthly"

    @Flag(help: "Show what would be deleted, and delete nothing.")
    var dryRun = false

    func run() async throws {
        let context = try await BackupContext.load(options)
        let plan = try await context.run {
            let policy = try RetentionPolicy(parsing: keep)
            return try await BackupPruner(repository: context.settings.repository, policy: policy).prune(dryRun: dryRun)
        }
        let verb = dryRun ? "Would delete" : "Deleted"
        for manifest in plan.deleted { context.output.line("\(verb) \(manifest.id)") }
        for id in plan.incomplete { context.output.line("\(verb) \(id) (incomplete)") }
        for (manifest, reasons) in plan.kept {
            context.output.line("Kept \(manifest.id) (\(reasons.joined(separator: ", ")))")
        }
        context.output.line(
            "\(plan.kept.count) kept, \(plan.deleted.count + plan.incomplete.count) \(dryRun ? "to delete" : "deleted")."
        )
    }
}
