import ArgumentParser
import Foundation
import WenwexConfig
import WenwexStorage

struct StorageStampCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stamp",
        abstract: "Claim the environment's bucket for it (refused when another environment owns it)."
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        let output = Output(json: false)
        let configuration = try project.loadConfiguration(output: output)
        let store: any ObjectStore
        do { store = try StorageFactory.make(for: configuration) } catch {
            output.problems(error.problems)
            throw CLIFailure.reported(.usage)
        }
        let label = "object storage (\(StorageFactory.describe(store)))"
        do {
            switch try await StorageIdentity.stamp(store, owner: configuration.owner, label: label) {
            case .stamped(let stamp):
                output.line("Stamped \(label) for '\(stamp.environment)' (instance \(stamp.instanceID)).")
            case .alreadyStamped(let stamp):
                output.line("\(label) is already stamped for '\(stamp.environment)'; nothing changed.")
            }
        } catch let error as ConfigurationError {
            output.problems(error.problems)
            throw CLIFailure.reported(.usage)
        } catch let error as StorageError {
            throw CLIFailure(error.description, code: .problem)
        }
    }
}
