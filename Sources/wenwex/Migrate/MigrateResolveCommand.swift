import ArgumentParser
import WenwexConfig
import WenwexMigrate
import WenwexSQL

/// `wenwex migrate resolve`: tell the history what happened to a failed migration.
struct MigrateResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Mark a migration applied (without running it) or a failed one rolled back.",
        discussion: """
            After a failed deploy, repair the database by hand, then either mark the migration \
            --rolled-back (the next deploy runs it again) or --applied (you applied its changes yourself).
            """
    )

    @OptionGroup var options: MigrateOptions

    @Option(help: "Record this migration as applied without running it.")
    var applied: String?

    @Option(help: "Mark this failed migration rolled back, so the next deploy retries it.")
    var rolledBack: String?

    func validate() throws {
        guard (applied == nil) != (rolledBack == nil) else {
            throw ValidationError("pass exactly one of --applied NAME or --rolled-back NAME")
        }
    }

    func run() async throws {
        let output = Output(json: false)
        let configuration = try options.loadConfiguration(output: output)
        let primary = configuration.databases.primary
        let directory = options.migrationDirectory(configuration)
        try await MigrateFailure.run(output: output) {
            try await withGuardedPrimary(configuration) { session in
                if let applied {
                    try await MigrationResolver.markApplied(
                        applied,
                        files: try directory.migrations(),
                        session: session
                    )
                    output.line("Migration \(applied) is recorded as applied in \(primary.url.label).")
                } else if let rolledBack {
                    try await MigrationResolver.markRolledBack(rolledBack, session: session)
                    output.line("Migration \(rolledBack) is marked rolled back; the next deploy runs it again.")
                }
            }
        }
    }
}
