import ArgumentParser
import Foundation
import WenwexConfig
import WenwexMigrate
import WenwexSQL

/// `wenwex migrate reset`: the dev database, wiped and rebuilt from the migrations.
struct MigrateResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Drop everything in the dev database, re-apply every migration, and run the seed command.",
        discussion: """
            Dev tier only, and it asks first (--yes in scripts). The identity stamp is kept. The \
            seed command is [schema] seed in wenwex.toml, run in the project directory with \
            DATABASE_URL set; --skip-seed leaves the database empty.
            """
    )

    @OptionGroup var options: MigrateOptions

    @Flag(help: "Confirm without asking.")
    var yes = false

    @Flag(help: "Do not run the seed command.")
    var skipSeed = false

    func run() async throws {
        let output = Output(json: false)
        let configuration = try options.loadConfiguration(output: output)
        let primary = configuration.databases.primary
        let directory = options.migrationDirectory(configuration)
        try await MigrateFailure.run(output: output) {
            try TierGuard.requireTier([.dev], for: "wenwex migrate reset", in: configuration.environment)
            try TierGuard.authorizeDestructive(
                "wenwex migrate reset",
                database: primary.url.label,
                in: configuration.environment,
                confirmation: TerminalConfirmation(assumeYes: yes)
            )
            let files = try directory.migrations(for: primary.url.dialect)
            try await withGuardedPrimary(configuration) { session in
                try await DatabaseReset.dropEverything(session, url: primary.url)
                output.line("Dropped everything in \(primary.url.label).")
                try await MigrationDeployer(session: session, files: files).deploy { name in
                    output.line("Applying migration \(name)")
                }
            }
            guard !skipSeed, let seed = configuration.project.schemaSettings.seed else { return }
            output.line("Running the seed command: \(seed)")
            let status = try runSeed(seed, configuration: configuration)
            guard status == 0 else {
                throw CLIFailure(
                    "the seed command exited with status \(status); the migrations are applied",
                    code: .problem
                )
            }
        }
    }

    private func runSeed(_ command: String, configuration: WenwexConfiguration) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = configuration.projectDirectory
        var environment = ProcessInfo.processInfo.environment
        environment[configuration.project.database.urlVariable] = configuration.databases.primary.url.rawValue
        environment["WENWEX_ENV"] = configuration.environment.name
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
