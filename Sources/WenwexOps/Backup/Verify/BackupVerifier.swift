public import Foundation
public import Logging
public import WenwexConfig
public import WenwexMigrate
import WenwexSQL

/// `wenwex backup verify`: proves a backup by restoring it into a scratch database and
/// comparing what arrived with what the manifest says left.
///
/// Checked: the payload's SHA-256 and size; every chunk's authentication when encrypted; that
/// the tool restored it without error; each table's row count and checksum; the migration
/// head, and that no migration is left failed; the identity stamp's environment. The scratch
/// database is created for the purpose (never the source) and dropped afterwards, and the
/// result is written into the manifest.
public struct BackupVerifier: Sendable {
    /// Holds the payload, and receives the manifest rewritten with its verification.
    public var repository: BackupRepository
    /// Opens encrypted payloads; without the right key, verifying an encrypted backup fails (and the
    /// failure is recorded in its manifest).
    public var keys: BackupKeyRing?
    /// Logs each verification's id and outcome at info.
    public var logger: Logger

    /// `logger` defaults to the `wenwex.backup` label.
    public init(repository: BackupRepository, keys: BackupKeyRing?, logger: Logger = Logger(label: "wenwex.backup")) {
        self.repository = repository
        self.keys = keys
        self.logger = logger
    }

    /// Verifies `manifest` by restoring it beside `server` (a PostgreSQL URL whose server gets
    /// the scratch database; ignored for SQLite, which restores into a temporary file).
    /// `migrations`, when given, is the code's migration folder, to report how far the backup
    /// is behind it.
    ///
    /// A failed check is returned (``BackupManifest/Verification/passed`` is false), not thrown;
    /// it throws only when the manifest cannot be rewritten.
    public func verify(
        _ manifest: BackupManifest,
        server: DatabaseURL?,
        migrations: [MigrationFile]? = nil
    ) async throws -> BackupManifest.Verification {
        let started = Date()
        var problems: [String] = []
        var details: [String] = []
        do {
            let restored = try await ScratchDatabase.with(format: manifest.format, server: server, id: manifest.id) {
                target, url in
                try await PayloadLoader(repository: repository, keys: keys).load(
                    manifest,
                    into: target,
                    keepOwnership: false
                )
                return try await DatabaseConnector.withSession(url, access: .readOnly) { session in
                    try await RestoredFacts.read(session, url: url, migrations: migrations)
                }
            }
            details.append("payload: \(manifest.payloadSize) bytes, SHA-256 matches")
            problems += TableStatistics.differences(expected: manifest.tables, actual: restored.tables)
            details.append("\(manifest.tableCount) tables, \(manifest.totalRows) rows: counts and checksums compared")
            problems += restored.problems(against: manifest)
            details += restored.notes
        } catch let error as BackupError {
            problems.append(error.description)
        } catch {
            problems.append("restoring failed: \(error)")
        }
        let verification = BackupManifest.Verification(
            at: Date(),
            passed: problems.isEmpty,
            details: problems.isEmpty ? details : problems,
            seconds: Date().timeIntervalSince(started)
        )
        var updated = manifest
        updated.verification = verification
        try await repository.write(updated)
        logger.info(
            "backup verified",
            metadata: ["id": "\(manifest.id)", "passed": "\(verification.passed)"]
        )
        return verification
    }
}

/// What a restored copy holds, to hold against its manifest.
struct RestoredFacts: Sendable {
    var facts: SourceFacts
    var failedMigrations: [String]
    var pending: Int?

    var tables: [BackupManifest.TableSummary] { facts.tables }

    static func read(_ session: any SQLSession, url: DatabaseURL, migrations: [MigrationFile]?) async throws
        -> RestoredFacts
    {
        if session.dialect == .postgres { try await session.execute("BEGIN") }
        let facts = try await SourceFacts.read(session, url: url)
        if session.dialect == .postgres { try await session.execute("COMMIT") }
        var pending: Int?
        if let migrations {
            pending = MigrationStatus(files: migrations, records: try await MigrationHistory(session).records())
                .pending.count
        }
        return RestoredFacts(
            facts: facts,
            failedMigrations: try await SourceFacts.failedMigrations(session),
            pending: pending
        )
    }

    func problems(against manifest: BackupManifest) -> [String] {
        var problems: [String] = []
        if facts.migrationHead != manifest.migrationHead {
            problems.append(
                "the restored copy's newest migration is \(facts.migrationHead ?? "none"), the manifest's \(manifest.migrationHead ?? "none")"
            )
        }
        if !failedMigrations.isEmpty {
            problems.append("the restored copy has failed migrations: \(failedMigrations.joined(separator: ", "))")
        }
        if let stamp = facts.stamp, stamp.environment != manifest.environment || stamp.project != manifest.project {
            problems.append(
                "the restored copy is stamped for '\(stamp.project)' / '\(stamp.environment)', the manifest says '\(manifest.project)' / '\(manifest.environment)'"
            )
        }
        if manifest.instanceID != nil, facts.stamp?.instanceID != manifest.instanceID {
            problems.append("the restored copy's identity stamp is not the source's")
        }
        return problems
    }

    var notes: [String] {
        var notes = ["migration head \(facts.migrationHead ?? "none"), no failed migrations"]
        if let pending, pending > 0 { notes.append("\(pending) migrations of this code are not in the backup yet") }
        return notes
    }
}
