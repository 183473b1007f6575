import ArgumentParser
import Foundation
import WenwexOps

struct BackupVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Restore a backup into a scratch database and compare it with its manifest.",
        discussion: """
            Checks the payload's SHA-256 (and, when encrypted, every chunk's authentication), \
            restores it into a new scratch database (BACKUP_VERIFY_DATABASE_URL's server, else \
            the primary's; a temporary file for SQLite), compares each table's row count and \
            checksum and the migration head, then drops the scratch database. Exit 1 on any \
            difference. The result is recorded in the manifest.
            """
    )

    @OptionGroup var options: MigrateOptions

    @Argument(help: "The backup's id (default: the newest, as with --latest).")
    var id: String?

    @Flag(help: "Verify the newest backup (for CI and monitoring).")
    var latest = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if latest, id != nil { throw ValidationError("give a backup id or --latest, not both") }
    }

    func run() async throws {
        let context = try await BackupContext.load(options, json: json)
        let manifest = try await context.manifest(id ?? "latest")
        let verification = try await context.run {
            try await context.settings.verifier.verify(
                manifest,
                server: context.settings.verifyServer,
                migrations: try? context.migrationsFolder.migrations()
            )
        }
        if json {
            context.output.emit(verification)
        } else {
            context.output.line(
                "\(verification.passed ? "Verified" : "FAILED"): backup \(manifest.id) (\(String(format: "%.1f", verification.seconds)) s)"
            )
            for line in verification.details { context.output.line("  - " + line) }
        }
        if !verification.passed { throw CLIFailure.reported(.problem) }
    }
}
