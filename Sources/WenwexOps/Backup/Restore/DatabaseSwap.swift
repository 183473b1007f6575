import Foundation
import WenwexConfig
import WenwexSQL

/// Puts a restored database in the place of the live one by renaming both, so the switch is
/// over in moments whatever the size, and the previous database survives under a new name.
enum DatabaseSwap {
    /// Renames `live` to `<name>_<oldSuffix>` and `replacement` to `live`'s name; returns the
    /// name the previous database is kept under.
    static func swap(_ live: DatabaseURL, with replacement: DatabaseURL, keepingOldAs oldSuffix: String) async throws
        -> String
    {
        switch (live.kind, replacement.kind) {
        case (.postgres(let current), .postgres(let restored)):
            let kept = String(current.database.prefix(30)) + "_" + oldSuffix
            guard let admin = live.replacingDatabase(with: "postgres") else {
                throw BackupError.failed("cannot derive an administration URL from \(live.masked)")
            }
            let quote = SQLDialect.postgres.quoteIdentifier
            try await DatabaseConnector.withSession(admin) { session in
                // No new sessions, then end the open ones: a rename needs the database to itself.
                try await session.execute("ALTER DATABASE \(unsafeRaw: quote(current.database)) ALLOW_CONNECTIONS false")
                var attempt = 0
                while true {
                    _ = try await session.query(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                        [.text(current.database)]
                    )
                    do {
                        try await session.execute(
                            "ALTER DATABASE \(unsafeRaw: quote(current.database)) RENAME TO \(unsafeRaw: quote(kept))"
                        )
                        break
                    } catch where attempt < 20 {
                        // A session was still ending (SQLSTATE 55006); try again shortly.
                        attempt += 1
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                try await session.execute(
                    "ALTER DATABASE \(unsafeRaw: quote(restored.database)) RENAME TO \(unsafeRaw: quote(current.database))"
                )
            }
            return kept
        case (.sqlite(let current), .sqlite(let restored)):
            let file = URL(fileURLWithPath: current)
            let kept = file.deletingPathExtension().path + ".\(oldSuffix.replacingOccurrences(of: "_", with: "-")).db"
            let manager = FileManager.default
            for suffix in ["", "-wal", "-shm"] where manager.fileExists(atPath: current + suffix) {
                try manager.moveItem(atPath: current + suffix, toPath: kept + suffix)
            }
            try manager.moveItem(atPath: restored, toPath: current)
            return kept
        default:
            throw BackupError.failed("cannot swap databases of two different kinds")
        }
    }
}
