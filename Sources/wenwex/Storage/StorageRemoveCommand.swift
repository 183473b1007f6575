import ArgumentParser
import Foundation
import WenwexStorage

struct StorageRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove objects; outside dev only with --yes."
    )

    @OptionGroup var project: ProjectOptions

    @Argument(help: "The keys to remove.") var keys: [String]

    @Flag(help: "Confirm removing objects outside dev.") var yes = false

    func run() async throws {
        let output = Output(json: false)
        let configuration = try project.loadConfiguration(output: output)
        guard configuration.environment.tier == .dev || yes else {
            throw CLIFailure(
                "removing objects from '\(configuration.environment.name)' (tier \(configuration.environment.tier.rawValue)) needs confirmation",
                fix: "add --yes if you mean it",
                code: .usage
            )
        }
        let store = try await StorageAccess.store(configuration, output: output)
        let objectKeys = try keys.map(StorageAccess.key)
        for key in objectKeys {
            try await store.delete(key)
            output.line("Removed \(key).")
        }
    }
}
