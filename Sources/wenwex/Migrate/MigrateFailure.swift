import ArgumentParser
import WenwexConfig
import WenwexMigrate
import WenwexSQL

/// Prints a failed migrate command's error the way every command does (what, and a `fix:`
/// line) and maps it to the documented exit status: 2 for configuration and usage, 1 for the
/// database and the migrations.
enum MigrateFailure {
    static func report(_ error: any Error, output: Output) -> ExitCode {
        switch error {
        case let exit as ExitCode:
            return exit
        case let error as ConfigurationError:
            output.problems(error.problems)
            return ExitCode(2)
        case let error as MigrationDirectoryError:
            output.error("error: \(error.description)")
            return ExitCode(2)
        case let error as DatabaseUnavailable:
            output.error("error: \(error.description)")
            return ExitCode(1)
        case let error as MigrationDeployError:
            output.error("error: \(error.description)")
            return ExitCode(1)
        case let error as MigrationResolveError:
            output.error("error: \(error.description)")
            return ExitCode(1)
        case let error as MigrationLockTimeout:
            output.error("error: \(error.description)")
            return ExitCode(1)
        default:
            output.error("error: \(DatabaseErrorText.describe(error))")
            return ExitCode(1)
        }
    }

    /// Runs `body`, turning any error into its report and exit status.
    static func run(output: Output, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as CLIFailure {
            throw failure  // printed once, by Wenwex.main
        } catch {
            throw report(error, output: output)
        }
    }
}
