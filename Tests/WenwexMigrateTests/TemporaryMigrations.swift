import Foundation
import WenwexMigrate

/// A migration folder in a temporary directory, written from (name, SQL) pairs.
struct TemporaryMigrations {
    let directory: MigrationDirectory

    init(_ migrations: [(String, String)]) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wenwex-migrations-\(UUID().uuidString)"
        )
        directory = MigrationDirectory(url: url)
        for (name, sql) in migrations { try write(name, sql) }
    }

    func write(_ name: String, _ sql: String) throws {
        let folder = directory.url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try sql.write(to: folder.appendingPathComponent("migration.sql"), atomically: true, encoding: .utf8)
    }

    func files() throws -> [MigrationFile] {
        try directory.migrations()
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory.url)
    }
}

extension MigrationFile {
    /// A migration that exists only in memory, checksummed as a file with `sql` would be.
    static func inMemory(_ name: String, _ sql: String) -> MigrationFile {
        MigrationFile(name: name, url: URL(fileURLWithPath: "/dev/null"), sql: sql, checksum: MigrationChecksum.of(sql))
    }
}
