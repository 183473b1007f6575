import ArgumentParser
import Foundation
import Logging
import WenwexConfig
import WenwexMigrate
import WenwexOps

/// `wenwex backup`: backups of an environment's database, proven by restoring them.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Create, verify, restore and prune backups of the environment's database.",
        discussion: """
            PostgreSQL is dumped with pg_dump --format=custom (client tools of the server's major \
            version or newer), SQLite with VACUUM INTO. Each backup has a manifest: environment, \
            migration head, sizes, SHA-256, and row counts and checksums per table, which verify \
            compares after restoring into a scratch database.

            Backups are kept in BACKUP_DIR (default .wenwex/backups), or with BACKUP_STORE=storage \
            in the environment's object store under backups/. With BACKUP_ENCRYPTION_KEY (32 bytes, \
            base64) they are sealed with AES-256-GCM; BACKUP_ENCRYPTION=required refuses to write \
            any backup without a key.
            """,
        subcommands: [
            BackupCreateCommand.self, BackupListCommand.self, BackupVerifyCommand.self, BackupRestoreCommand.self,
            BackupPruneCommand.self, BackupCheckCommand.self, BackupScheduleCommand.self,
        ]
    )
}

/// What every backup command starts from: the configuration, its backup settings, the
/// migration folder, and one way of turning failures into messages.
struct BackupContext {
    var configuration: WenwexConfiguration
    var settings: BackupSettings
    var migrationsFolder: MigrationDirectory
    var output: Output

    static func load(_ options: MigrateOptions, json: Bool = false) async throws -> BackupContext {
        let output = Output(json: json)
        let configuration = try options.loadConfiguration(output: output)
        var settings = try await run(output) { try await BackupSettings.load(configuration) }
        // The commands print their own results; the library's progress lines are for schedules.
        settings.logger.logLevel = .warning
        return BackupContext(
            configuration: configuration,
            settings: settings,
            migrationsFolder: options.migrationDirectory(configuration),
            output: output
        )
    }

    var owner: DatabaseOwner { configuration.owner }
    var primary: DatabaseURL { configuration.databases.primary.url }

    /// Runs `body`, turning backup, configuration and tool errors into `CLIFailure`s.
    static func run<Result>(_ output: Output, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as BackupError {
            let code: ExitStatus =
                switch error {
                case .refused, .encryptionRequired: .usage
                default: .problem
                }
            throw CLIFailure(error.description, fix: error.fix, code: code)
        } catch let error as ConfigurationError {
            output.problems(error.problems)
            throw CLIFailure.reported(.usage)
        } catch let error as PostgresClientTools.Unusable {
            throw CLIFailure(error.description, fix: error.fix, code: .usage)
        } catch let error as CLIFailure {
            throw error
        } catch {
            throw CLIFailure(SecretMasker.maskingCredentials(in: "\(error)"), code: .problem)
        }
    }

    func run<Result>(_ body: () async throws -> Result) async throws -> Result {
        try await Self.run(output, body)
    }

    /// `latest` or an id.
    func manifest(_ id: String) async throws -> BackupManifest {
        try await run { try await settings.repository.manifest(id) }
    }

    /// A manifest as one line of `list`.
    static func summary(_ manifest: BackupManifest) -> String {
        let verified =
            switch manifest.verification?.passed {
            case true?: "verified"
            case false?: "FAILED verification"
            case nil: "not verified"
            }
        let size = ByteCountFormatter.string(fromByteCount: Int64(manifest.payloadSize), countStyle: .file)
        let encrypted = manifest.encryption == nil ? "" : ", encrypted"
        return
            "\(manifest.id)  \(size), \(manifest.tableCount) tables, \(manifest.totalRows) rows\(encrypted), \(verified) (\(manifest.reason))"
    }
}
