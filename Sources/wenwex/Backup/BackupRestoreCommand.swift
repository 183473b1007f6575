import ArgumentParser
import Foundation
import WenwexConfig
import WenwexOps

struct BackupRestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a new database, or (with --force) in place of the environment's.",
        discussion: """
            By default the backup goes into a new database beside the environment's \
            (<name>_restored_<time>, or --to-database); the live database is not touched. To \
            replace the environment's database, pass --force with --environment and --database \
            naming it: Wenwex first takes a safety backup of it, restores into a new database, \
            checks that against the manifest, then swaps the two by renaming and keeps the \
            previous one. On prod you also type the database's name (or pass --confirm NAME). \
            A backup is only ever restored by its own environment.
            """
    )

    @OptionGroup var options: MigrateOptions

    @Argument(help: "The backup's id, or latest.")
    var id: String

    @Option(help: "The new database: a PostgreSQL database name, or a SQLite file path.")
    var toDatabase: String?

    @Flag(help: "Replace the environment's database (needs --environment and --database).")
    var force = false

    @Option(help: "With --force: the environment whose database is replaced.")
    var environment: String?

    @Option(help: "With --force: the name of the database that is replaced.")
    var database: String?

    @Option(help: "On prod without a terminal: the database's name, as the typed confirmation.")
    var confirm: String?

    func validate() throws {
        if force, toDatabase != nil {
            throw ValidationError("--force replaces the database; --to-database makes a new one")
        }
        if !force, environment != nil || database != nil {
            throw ValidationError("--environment and --database name the database --force replaces")
        }
    }

    func run() async throws {
        let context = try await BackupContext.load(options)
        let manifest = try await context.manifest(id)
        let target: BackupRestorer.Target
        if force {
            let typed = confirm
            target = .replace(
                .init(environment: environment ?? "", database: database ?? "") { name in
                    if let typed { return typed == name }
                    guard isatty(STDIN_FILENO) == 1 else { return false }
                    FileHandle.standardError.write(
                        Data("This replaces the prod database '\(name)'. Type its name to continue: ".utf8)
                    )
                    return readLine()?.trimmingCharacters(in: .whitespaces) == name
                }
            )
        } else {
            target = .newDatabase(toDatabase)
        }
        context.output.line("Restoring backup \(manifest.id) (\(BackupContext.summary(manifest)))")
        let outcome = try await PrivilegedCommand.run(
            "restore",
            command: "wenwex backup restore",
            target: "backup \(manifest.id) into "
                + (force ? context.primary.label : (toDatabase ?? "a new database")),
            in: context.configuration,
            output: context.output
        ) {
            try await context.run {
                try await BackupRestorer(settings: context.settings).restore(
                    manifest,
                    target: target,
                    database: context.primary,
                    owner: context.owner
                )
            }
        }
        if let safety = outcome.safetyBackup {
            context.output.line("Safety backup of the replaced database: \(safety.id)")
        }
        context.output.line("Restored into \(outcome.restored.label); rows and checksums match the manifest.")
        if let kept = outcome.previousKeptAs {
            context.output.line("The previous database is kept as \(kept); drop it once you are satisfied.")
        }
    }
}
