import Foundation
import NIOCore
import NIOPosix
import WenwexConfig
import WenwexSQL
import WenwexStorage

/// Streams a backup's payload out of the store, checks it, and loads it into a database:
/// `pg_restore` reading from a pipe on PostgreSQL, a new file on SQLite.
///
/// An encrypted payload is authenticated chunk by chunk before any byte reaches the tool; every
/// payload's SHA-256 and size are compared with the manifest once it has been read. A caller
/// that gets an error must treat the target as garbage (verify and restore drop it).
struct PayloadLoader: Sendable {
    var repository: BackupRepository
    var keys: BackupKeyRing?

    /// Where a payload goes.
    enum Target: Sendable {
        /// An existing, empty PostgreSQL database.
        case postgres(DatabaseURL)
        /// A SQLite file to create; it must not exist.
        case sqliteFile(URL)
    }

    /// `keepOwnership` restores owners and grants (a restore on the same cluster); a
    /// verification leaves them out so it needs no roles but its own.
    func load(_ manifest: BackupManifest, into target: Target, keepOwnership: Bool) async throws {
        let digest = StreamDigest()
        var body = try await repository.payload(of: manifest).inspecting { digest.add($0) }
        if manifest.encryption != nil {
            guard let keys else {
                throw BackupError.encryptionRequired(
                    "backup \(manifest.id) is encrypted with key \(manifest.encryption!.keyID), and no BACKUP_ENCRYPTION_KEY is set"
                )
            }
            body = SealedPayload.open(body, with: keys)
        }
        switch (manifest.format, target) {
        case (.postgresCustom, .postgres(let url)):
            try await restorePostgres(body, into: url, keepOwnership: keepOwnership)
        case (.sqliteFile, .sqliteFile(let file)):
            try await FileSink.write(body, to: file)
        default:
            throw BackupError.refused(
                "backup \(manifest.id) is a \(manifest.format.rawValue) payload and cannot be loaded into that database",
                fix: "restore a PostgreSQL backup into PostgreSQL and a SQLite backup into SQLite"
            )
        }
        guard digest.hex() == manifest.payloadSHA256, digest.count == manifest.payloadSize else {
            throw BackupError.checksumMismatch(expected: manifest.payloadSHA256, actual: digest.hex())
        }
    }

    private func restorePostgres(_ body: ObjectBody, into url: DatabaseURL, keepOwnership: Bool) async throws {
        guard case .postgres(let location) = url.kind else { return }
        let versionNumber = try await DatabaseConnector.withSession(url) { session in
            try await session.queryText("SHOW server_version_num").first?.first ?? nil
        }
        let tools = try PostgresClientTools.locate(serverMajor: (Int(versionNumber ?? "") ?? 0) / 10_000)
        var arguments = [tools.pgRestore, "--exit-on-error", "--single-transaction", "--no-password"]
        arguments += ["--dbname=\(location.database)"]
        if !keepOwnership { arguments += ["--no-owner", "--no-privileges"] }
        let restore = try ToolProcess(
            arguments,
            environment: PostgresClientTools.connectionEnvironment(location),
            readsInput: true
        )
        do {
            try await restore.feed(body)
        } catch let error as BackupError {
            // The payload failed its check: the restore must not finish on what it got.
            restore.terminate()
            _ = await restore.waitForExit()
            throw error
        } catch {
            restore.terminate()
            _ = await restore.waitForExit()
            throw BackupError.failed("pg_restore stopped reading: \(restore.errorTail())")
        }
        do {
            try await restore.waitForSuccess()
        } catch {
            throw BackupError.failed("\(error)")
        }
    }
}

/// Writes a stream to a new file, flushed to disk before it counts as written.
enum FileSink {
    static func write(_ body: ObjectBody, to file: URL) async throws {
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else {
            throw BackupError.failed("cannot create \(file.path)")
        }
        let handle = try FileHandle(forWritingTo: file)
        do {
            for try await buffer in body {
                try handle.write(contentsOf: Data(buffer.readableBytesView))
            }
            try await NIOThreadPool.singleton.runIfActive {
                try handle.synchronize()
                try handle.close()
            }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: file)
            throw error
        }
    }
}
