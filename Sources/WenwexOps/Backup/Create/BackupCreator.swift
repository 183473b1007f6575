public import Foundation
public import Logging
public import WenwexConfig
import WenwexSQL
import WenwexStorage

/// `wenwex backup create`: a consistent copy of a database, with its manifest, stored in the
/// environment's backup repository.
///
/// PostgreSQL: `pg_dump --format=custom` streamed straight into the store, while this process
/// counts and checksums every table in the same exported snapshot. SQLite: `VACUUM INTO` a
/// temporary file (a consistent copy while the server writes), whose tables are then counted
/// and checksummed. Either way the manifest is written last, so a backup that dies part-way
/// leaves no manifest claiming success.
public struct BackupCreator: Sendable {
    /// Receives the payload first and the manifest last.
    public var repository: BackupRepository
    /// New payloads are sealed with its ``BackupKeyRing/current`` key; `nil` stores them in clear.
    public var keys: BackupKeyRing?
    /// When true, ``create(source:owner:reason:)`` refuses to run without ``keys``.
    public var requireEncryption: Bool
    /// Logs each backup's start and finish at info.
    public var logger: Logger

    /// Defaults: no key, encryption not required, the `wenwex.backup` logger.
    public init(
        repository: BackupRepository,
        keys: BackupKeyRing? = nil,
        requireEncryption: Bool = false,
        logger: Logger = Logger(label: "wenwex.backup")
    ) {
        self.repository = repository
        self.keys = keys
        self.requireEncryption = requireEncryption
        self.logger = logger
    }

    /// Backs up `source` for `owner`; throws before anything is written when the database is
    /// stamped for another environment, or when encryption is required and no key is set.
    public func create(source: DatabaseURL, owner: DatabaseOwner, reason: String = "manual") async throws
        -> BackupManifest
    {
        let writer = PayloadWriter(repository: repository, key: keys?.current, requireEncryption: requireEncryption)
        try writer.checkEncryption()
        let startedAt = Date()
        let id = BackupID.make(at: startedAt)
        logger.info("backup started", metadata: ["id": "\(id)", "source": "\(source.masked)"])
        do {
            let taken: TakenCopy =
                switch source.kind {
                case .postgres(let location):
                    try await PostgresCopy(url: source, location: location, owner: owner, writer: writer, id: id).take()
                case .sqlite(let path):
                    try await SQLiteCopy(url: source, path: path, owner: owner, writer: writer, id: id).take()
                }
            let manifest = BackupManifest(
                id: id,
                format: taken.format,
                project: owner.project,
                environment: owner.environment,
                tier: owner.tier,
                instanceID: taken.facts.stamp?.instanceID,
                source: source.masked,
                migrationHead: taken.facts.migrationHead,
                startedAt: startedAt,
                finishedAt: Date(),
                payloadSize: taken.written.size,
                payloadSHA256: taken.written.sha256,
                dumpSize: taken.written.dumpSize,
                encryption: keys.map {
                    .init(algorithm: "AES-256-GCM-STREAM", keyID: $0.current.id, chunkSize: SealedPayload.defaultChunkSize)
                },
                tables: taken.facts.tables,
                tools: taken.tools.merging(["wenwex": WenwexVersion.current]) { a, _ in a },
                reason: reason,
                verification: nil
            )
            try await repository.write(manifest)
            logger.info(
                "backup finished",
                metadata: ["id": "\(id)", "bytes": "\(manifest.payloadSize)", "tables": "\(manifest.tables.count)"]
            )
            return manifest
        } catch {
            // No manifest was written; the payload, if any, is removed now (or by prune later).
            if let key = try? repository.payloadKey(id) { try? await repository.store.delete(key) }
            throw error
        }
    }

    /// Refuses a database stamped for another environment (and, on prod, an unstamped one).
    static func checkOwnership(_ stamp: IdentityStamp?, owner: DatabaseOwner, url: DatabaseURL) throws {
        if case .refused(let problem) = CrossEnvironmentGuard.verify(stamp: stamp, owner: owner, database: url.label) {
            throw BackupError.refused(
                "refusing to back up \(url.label) as '\(owner.environment)': \(problem.message)",
                fix: problem.hint ?? "run the backup in the database's own environment"
            )
        }
    }
}

/// What copying a database produced, before the manifest is written.
struct TakenCopy: Sendable {
    var format: BackupManifest.Format
    var facts: SourceFacts
    var written: PayloadWriter.Written
    var tools: [String: String]
}

/// The version Wenwex writes into manifests.
enum WenwexVersion {
    static let current = "0.1.0"
}
