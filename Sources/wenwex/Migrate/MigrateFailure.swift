import ArgumentParser
import WenwexConfig
import WenwexMigrate
import WenwexSQL

/// Maps a command's error to its `CLIFailure`: the message (with its fix) and the documented
/// exit status, 2 for configuration and usage, 1 for the database and the migrations.
/// `Wenwex.main` prints it.
enum MigrateFailure {
    static func failure(for error: any Error, output: Output) -> CLIFailure {
        switch error {
        case let failure as CLIFailure:
            return failure
        case let exit as ExitCode:
            return .reported(exit.rawValue == 2 ? .usage : .problem)
        case let error as ConfigurationError:
            // Each problem carries its own location and fix.
            output.problems(error.problems)
            return .reported(.usage)
        case let error as MigrationDirectoryError:
            return CLIFailure(error.description, code: .usage)
        case let error as DatabaseUnavailable:
            return CLIFailure(error.description, code: .problem)
        case let error as MigrationDeployError:
            return CLIFailure(error.description, code: .problem)
        case let error as MigrationResolveError:
            return CLIFailure(error.description, code: .problem)
        case let error as MigrationLockTimeout:
            return CLIFailure(error.description, code: .problem)
        case let error as BackfillError:
            return CLIFailure(error.description, code: .problem)
        default:
            return CLIFailure(DatabaseErrorText.describe(error), code: .problem)
        }
    }

    /// Runs `body`, turning any error into its `CLIFailure`.
    static func run(output: Output, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            throw failure(for: error, output: output)
        }
    }
}
