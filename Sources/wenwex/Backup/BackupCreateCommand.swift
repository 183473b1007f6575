import ArgumentParser
import Foundation
import WenwexOps

struct BackupCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Back up the environment's primary database now."
    )

    @OptionGroup var options: MigrateOptions

    @Flag(help: "Verify the new backup right away by restoring it into a scratch database.")
    var verify = false

    @Flag(help: "Print the manifest as JSON.")
    var json = false

    func run() async throws {
        let context = try await BackupContext.load(options, json: json)
        let manifest = try await context.run {
            var manifest = try await context.settings.creator.create(source: context.primary, owner: context.owner)
            if verify {
                manifest.verification = try await context.settings.verifier.verify(
                    manifest,
                    server: context.settings.verifyServer,
                    migrations: try? context.migrationsFolder.migrations()
                )
            }
            return manifest
        }
        if json {
            context.output.emit(manifest)
        } else {
            context.output.line(
                "Backed up \(context.primary.label) in \(String(format: "%.1f", manifest.finishedAt.timeIntervalSince(manifest.startedAt))) s:"
            )
            context.output.line("  " + BackupContext.summary(manifest))
            context.output.line("  stored in \(context.settings.repository.describe())")
        }
        if manifest.verification?.passed == false { throw CLIFailure.reported(.problem) }
    }
}
