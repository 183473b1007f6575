import Foundation
import WenwexConfig
import WenwexSQL

/// A database made only to restore a backup into, and dropped afterwards whatever happens:
/// a new database on the given PostgreSQL server, or a temporary SQLite file.
enum ScratchDatabase {
    static func with<Result: Sendable>(
        format: BackupManifest.Format,
        server: DatabaseURL?,
        id: String,
        _ body: (PayloadLoader.Target, DatabaseURL) async throws -> Result
    ) async throws -> Result {
        switch format {
        case .sqliteFile:
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-verify-\(id).db")
            try? FileManager.default.removeItem(at: file)
            defer {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
            }
            return try await body(.sqliteFile(file), try DatabaseURL("file:" + file.path))
        case .postgresCustom:
            guard let server, case .postgres = server.kind else {
                throw BackupError.refused(
                    "verifying a PostgreSQL backup needs a PostgreSQL server to restore it into",
                    fix: "set BACKUP_VERIFY_DATABASE_URL to a server where Wenwex may create and drop scratch databases"
                )
            }
            let name = "wenwex_verify_" + id.lowercased().replacingOccurrences(of: "-", with: "_")
            guard let url = server.replacingDatabase(with: name) else {
                throw BackupError.failed("cannot derive a scratch database URL from \(server.masked)")
            }
            let quoted = SQLDialect.postgres.quoteIdentifier(name)
            return try await DatabaseConnector.withSession(server) { admin in
                try await admin.execute("DROP DATABASE IF EXISTS \(unsafeRaw: quoted) WITH (FORCE)")
                do {
                    try await admin.execute("CREATE DATABASE \(unsafeRaw: quoted)")
                } catch {
                    throw BackupError.refused(
                        "cannot create the scratch database \(name) on \(server.label): \(DatabaseErrorText.describe(error))",
                        fix: "grant CREATEDB to the role, or set BACKUP_VERIFY_DATABASE_URL to a server where it may create databases"
                    )
                }
                do {
                    let result = try await body(.postgres(url), url)
                    try? await admin.execute("DROP DATABASE IF EXISTS \(unsafeRaw: quoted) WITH (FORCE)")
                    return result
                } catch {
                    try? await admin.execute("DROP DATABASE IF EXISTS \(unsafeRaw: quoted) WITH (FORCE)")
                    throw error
                }
            }
        }
    }
}
