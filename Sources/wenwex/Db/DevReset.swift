import Foundation
import WenwexConfig
import WenwexMigrate
import WenwexOps
import WenwexSQL

/// Wiping the dev database back to a known state: drop everything, apply every migration,
/// seed. `wenwex db reset` and `wenwex migrate reset` both do this; the difference is only the
/// default seed (the built-in seeder for `db reset`, the project's seed command for both when
/// `[schema] seed` names one).
struct DevReset {
    var options: MigrateOptions
    var configuration: WenwexConfiguration
    var output: Output
    /// Rows per table for the built-in seeder; `nil` seeds only through `[schema] seed`.
    var builtInSeedCount: Int?
    var seed: UInt64 = 1
    var skipSeed = false

    /// Refuses any tier but dev, then asks (or takes `--yes`) before anything is dropped.
    func authorize(_ command: String, yes: Bool) throws {
        let primary = configuration.databases.primary
        try TierGuard.requireTier([.dev], for: command, in: configuration.environment)
        // The reset drops the audit log with everything else, so only the policy is checked.
        try AccessActor.require("reset", for: command, configuration)
        try TierGuard.authorizeDestructive(
            command,
            database: primary.url.label,
            in: configuration.environment,
            confirmation: TerminalConfirmation(assumeYes: yes)
        )
    }

    /// One reset. The identity stamp survives: the database stays dev's.
    func run() async throws {
        let primary = configuration.databases.primary
        let files = try options.migrationDirectory(configuration).migrations(for: primary.url.dialect)
        try await withGuardedPrimary(configuration) { session in
            try await DatabaseReset.dropEverything(session, url: primary.url)
            output.line("Dropped everything in \(primary.url.label).")
            try await MigrationDeployer(session: session, files: files).deploy { name in
                output.line("Applying migration \(name)")
            }
        }
        if skipSeed { return }
        if let command = configuration.project.schemaSettings.seed {
            output.line("Running the seed command: \(command)")
            let status = try await runSeedCommand(command)
            guard status == 0 else {
                throw CLIFailure(
                    "the seed command exited with status \(status); the migrations are applied",
                    code: .problem
                )
            }
        } else if let count = builtInSeedCount {
            let schema = try options.validSchema(configuration, dialect: primary.url.dialect, output: output)
            let seeder = Seeder(schema: schema, dialect: primary.url.dialect)
            let report = try await withGuardedPrimary(configuration) { session in
                try await seeder.seed(session, count: count, seed: seed) { _, _, _ in }
            }
            output.line("Seeded \(report.totalRows) rows (\(count) per table, seed \(seed)).")
            if seeder.seedsPasswords {
                output.line("Seeded accounts sign in with the password '\(Seeder.devPassword)'.")
            }
        }
    }

    private func runSeedCommand(_ command: String) async throws -> Int32 {
        var environment = ProcessInfo.processInfo.environment
        environment[configuration.project.database.urlVariable] = configuration.databases.primary.url.rawValue
        environment["WENWEX_ENV"] = configuration.environment.name
        let child = try SpawnedChild(
            "/bin/sh",
            ["-c", command],
            environment: environment,
            directory: configuration.projectDirectory
        )
        return await child.exit().status
    }
}
