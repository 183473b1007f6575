import Foundation
import WenwexConfig
import WenwexSQL
import WenwexStorage

/// One SQLite backup: `VACUUM INTO` writes a consistent, compacted copy of the database to a
/// temporary file while the server goes on writing (it reads in one transaction), the copy's
/// facts are read, and the copy is streamed into the store.
struct SQLiteCopy {
    var url: DatabaseURL
    var path: String
    var owner: DatabaseOwner
    var writer: PayloadWriter
    var id: String

    func take() async throws -> TakenCopy {
        guard path != ":memory:" else {
            throw BackupError.refused(
                "an in-memory SQLite database cannot be backed up: it exists only inside its process",
                fix: "point DATABASE_URL at a file (file:./dev.db)"
            )
        }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-backup-\(id).db")
        defer { try? FileManager.default.removeItem(at: copy) }
        let version = try await DatabaseConnector.withSession(url, access: .readOnly) { session in
            let stamp = try await IdentityStampStore(session: session, url: url).read()
            try BackupCreator.checkOwnership(stamp, owner: owner, url: url)
            try await session.execute("VACUUM INTO '\(copy.path.replacingOccurrences(of: "'", with: "''"))'", [])
            return try await session.queryText("SELECT sqlite_version()").first?.first ?? nil
        }
        // The copy holds production data: readable by this user only, while it exists.
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: copy.path)
        let copyURL = try DatabaseURL("file:" + copy.path)
        let facts = try await DatabaseConnector.withSession(copyURL, access: .readOnly) { session in
            try await SourceFacts.read(session, url: copyURL)
        }
        let written = try await writer.write(try ObjectBody.file(copy), id: id)
        return TakenCopy(format: .sqliteFile, facts: facts, written: written, tools: ["sqlite": version ?? "?"])
    }
}
