import ArgumentParser
import Foundation
import WenwexConfig

/// Options every command that reads a project's configuration shares.
struct ProjectOptions: ParsableArguments {
    @Option(
        name: [.customShort("C"), .long],
        help:
            "The project directory (default: the nearest directory upwards with a wenwex.toml, else the current one).",
        completion: .directory
    )
    var projectDir: String?

    @Option(name: .long, help: "The environment to run as (overrides WENWEX_ENV; default dev).")
    var env: String?

    /// The project directory to use.
    func resolvedProjectDirectory() -> URL {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if let projectDir {
            return URL(fileURLWithPath: projectDir, relativeTo: current).standardizedFileURL
        }
        return ProjectFile.projectDirectory(searchingUpFrom: current)
    }

    /// Loads the configuration, or prints every problem and exits with status 2.
    func loadConfiguration(output: Output) throws -> WenwexConfiguration {
        do {
            let configuration = try WenwexConfiguration.load(
                .init(projectDirectory: resolvedProjectDirectory(), environmentName: env)
            )
            return configuration
        } catch {
            output.configurationFailed(error.problems)
            throw CLIFailure.reported(.usage)
        }
    }
}
