import ArgumentParser
import Foundation
import WenwexConfig
import WenwexSQL

/// `wenwex db …`: the environment's databases.
struct DbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Work with the environment's databases.",
        subcommands: [
            DbStampCommand.self, DbPullCommand.self, DbSeedCommand.self, DbCloneCommand.self, DbResetCommand.self,
        ]
    )
}

/// `wenwex db stamp`: claim the primary database for this environment.
struct DbStampCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stamp",
        abstract: "Write the identity stamp that ties the primary database to this project and environment.",
        discussion: """
            Every Wenwex command and server reads the stamp before touching a database and \
            refuses a database stamped for another environment. Stamping an unstamped database \
            is how an environment claims it; on prod it needs confirmation (--yes in scripts). \
            A database stamped for another environment is never re-stamped.
            """
    )

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Confirm without asking (needed on prod when no terminal is attached).")
    var yes = false

    func run() async throws {
        let output = Output(json: false)
        let configuration = try project.loadConfiguration(output: output)
        let primary = configuration.databases.primary
        do {
            let outcome = try await DatabaseStamper.stamp(
                primary,
                owner: configuration.owner,
                confirmation: TerminalConfirmation(assumeYes: yes)
            )
            switch outcome {
            case .stamped(let stamp):
                output.line(
                    "Stamped \(primary.url.label) (\(primary.url.masked)) for project '\(stamp.project)', environment '\(stamp.environment)' (tier \(stamp.tier.rawValue)), instance \(stamp.instanceID)."
                )
            case .alreadyStamped(let stamp):
                output.line(
                    "\(primary.url.label) is already stamped for '\(stamp.environment)' (instance \(stamp.instanceID), since \(stamp.stampedAt.formatted(.iso8601)) by \(stamp.stampedBy)); nothing changed."
                )
            }
        } catch let error as ConfigurationError {
            output.problems(error.problems)
            throw CLIFailure.reported(.usage)
        } catch let error as DatabaseUnavailable {
            throw CLIFailure("\(error.description)", code: .problem)
        } catch {
            throw CLIFailure(
                "stamping \(primary.url.label) failed: \(DatabaseErrorText.describe(error))",
                code: .problem
            )
        }
    }
}
