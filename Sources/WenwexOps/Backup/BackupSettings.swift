public import Foundation
public import Logging
public import WenwexConfig
import WenwexStorage

/// An environment's backup configuration, read from its variables.
///
/// - `BACKUP_STORE`: `filesystem` (default: the directory `BACKUP_DIR`, `.wenwex/backups`) or
///   `storage` (the environment's object store, `STORAGE_BACKEND` and `S3_*`, under `backups/`,
///   after its cross-environment guard).
/// - `BACKUP_ENCRYPTION_KEY`: 32 random bytes as base64; new backups are sealed with it.
///   `BACKUP_RETIRED_ENCRYPTION_KEY`: earlier keys, comma-separated, to open older backups.
/// - `BACKUP_ENCRYPTION`: `required` refuses to write any backup without a key; `optional`
///   (the default) encrypts when a key is set.
/// - `BACKUP_VERIFY_DATABASE_URL`: the PostgreSQL server verifications restore into (default:
///   the environment's primary server, in a scratch database created and dropped each time).
public struct BackupSettings: Sendable {
    /// Where backups are kept (`BACKUP_STORE`), in a folder per environment.
    public var repository: BackupRepository
    /// From `BACKUP_ENCRYPTION_KEY` and `BACKUP_RETIRED_ENCRYPTION_KEY`; `nil` when no key is set, and
    /// new backups are then stored in clear (or refused, with ``requireEncryption``).
    public var keys: BackupKeyRing?
    /// `BACKUP_ENCRYPTION=required`: creating a backup without a key throws before anything is dumped.
    public var requireEncryption: Bool
    /// The PostgreSQL server verifications create their scratch databases on; ``load(_:)`` defaults it
    /// to the primary's URL. Not used for SQLite backups.
    public var verifyServer: DatabaseURL?
    /// Where creation, verification and scheduling log; the CLI keeps it at warning, a
    /// scheduler at info.
    public var logger = Logger(label: "wenwex.backup")

    /// Settings made in code (tests, a team's own tool); ``load(_:)`` reads them from an environment.
    public init(repository: BackupRepository, keys: BackupKeyRing?, requireEncryption: Bool, verifyServer: DatabaseURL?)
    {
        self.repository = repository
        self.keys = keys
        self.requireEncryption = requireEncryption
        self.verifyServer = verifyServer
    }

    /// The settings of `configuration`'s environment; throws ``ConfigurationError`` naming each
    /// wrong value.
    public static func load(_ configuration: WenwexConfiguration) async throws -> BackupSettings {
        let environment = configuration.environment.name
        let repository: BackupRepository
        switch configuration.text("BACKUP_STORE") ?? "filesystem" {
        case "filesystem":
            let directory = URL(
                fileURLWithPath: configuration.text("BACKUP_DIR") ?? ".wenwex/backups",
                relativeTo: configuration.projectDirectory
            ).standardizedFileURL
            do {
                repository = BackupRepository(
                    store: try FilesystemObjectStore(root: directory),
                    environment: environment
                )
            } catch {
                throw configuration.problem(
                    "BACKUP_DIR",
                    message: "cannot keep backups in \(directory.path): \(error.localizedDescription)",
                    hint: "point BACKUP_DIR at a writable directory"
                )
            }
        case "storage":
            let store = try await StorageFactory.makeGuarded(for: configuration).store
            repository = BackupRepository(store: store, environment: environment, prefix: "backups/")
        case let other:
            throw configuration.problem(
                "BACKUP_STORE",
                message: "'\(other)' is not a backup store",
                hint: "use filesystem or storage"
            )
        }

        var keys: BackupKeyRing?
        if let current = configuration.text("BACKUP_ENCRYPTION_KEY") {
            let retired = (configuration.text("BACKUP_RETIRED_ENCRYPTION_KEY") ?? "").split(separator: ",").map(
                String.init
            )
            do {
                keys = try BackupKeyRing(current: current, retired: retired)
            } catch {
                throw configuration.problem(
                    error.variable,
                    message: "is not a backup key",
                    hint: "use 32 random bytes as base64: openssl rand -base64 32"
                )
            }
        }
        let mode = configuration.text("BACKUP_ENCRYPTION") ?? "optional"
        guard ["required", "optional"].contains(mode) else {
            throw configuration.problem(
                "BACKUP_ENCRYPTION",
                message: "'\(mode)' is not an encryption mode",
                hint: "use required or optional"
            )
        }

        var verifyServer = configuration.databases.primary.url
        if let text = configuration.text("BACKUP_VERIFY_DATABASE_URL") {
            do { verifyServer = try DatabaseURL(text) } catch {
                throw configuration.problem(
                    "BACKUP_VERIFY_DATABASE_URL",
                    message: error.reason,
                    hint: "write postgresql://user:password@host:5432/postgres"
                )
            }
        }
        return BackupSettings(
            repository: repository,
            keys: keys,
            requireEncryption: mode == "required",
            verifyServer: verifyServer
        )
    }

    /// A ``BackupCreator`` with these settings' repository, current key, encryption rule and logger.
    public var creator: BackupCreator {
        BackupCreator(repository: repository, keys: keys, requireEncryption: requireEncryption, logger: logger)
    }

    /// A ``BackupVerifier`` with these settings' repository, keys and logger; pass it ``verifyServer``.
    public var verifier: BackupVerifier {
        BackupVerifier(repository: repository, keys: keys, logger: logger)
    }
}
