import ArgumentParser
import Foundation
import WenwexOps

struct BackupListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the environment's backups, newest first."
    )

    @OptionGroup var options: MigrateOptions

    @Flag(help: "Print the manifests as JSON.")
    var json = false

    func run() async throws {
        let context = try await BackupContext.load(options, json: json)
        let manifests = try await context.run { try await context.settings.repository.manifests() }
        let incomplete = try await context.run { try await context.settings.repository.incomplete() }
        if json {
            context.output.emit(manifests)
            return
        }
        if manifests.isEmpty {
            context.output.line(
                "No backups of '\(context.configuration.environment.name)' in \(context.settings.repository.describe())."
            )
        }
        for manifest in manifests { context.output.line(BackupContext.summary(manifest)) }
        for entry in incomplete {
            context.output.line("\(entry.id)  incomplete: a payload without a manifest (the backup did not finish)")
        }
    }
}
