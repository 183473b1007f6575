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
        let reset = DevReset(
            options: options,
            configuration: configuration,
            output: output,
            builtInSeedCount: nil,
            skipSeed: skipSeed
        )
        try await MigrateFailure.run(output: output) {
            try reset.authorize("wenwex migrate reset", yes: yes)
            try await reset.run()
        }
    }
}
