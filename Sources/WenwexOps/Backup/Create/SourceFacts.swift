import Foundation
import WenwexConfig
import WenwexMigrate
import WenwexSQL

/// What a backup records about the database it copies, read in the backup's own snapshot.
struct SourceFacts: Sendable {
    var stamp: IdentityStamp?
    var migrationHead: String?
    var tables: [BackupManifest.TableSummary]

    /// The newest applied migration, by name (Prisma's names start with their timestamp).
    static func migrationHead(_ session: any SQLSession) async throws -> String? {
        try await MigrationHistory(session).records().filter { $0.state == .applied }.map(\.name).max()
    }

    /// Migrations that started and never finished.
    static func failedMigrations(_ session: any SQLSession) async throws -> [String] {
        let records = try await MigrationHistory(session).records()
        let applied = Set(records.filter { $0.state == .applied }.map(\.name))
        return records.filter { $0.state == .failed && !applied.contains($0.name) }.map(\.name)
    }

    static func read(_ session: any SQLSession, url: DatabaseURL) async throws -> SourceFacts {
        SourceFacts(
            stamp: try await IdentityStampStore(session: session, url: url).read(),
            migrationHead: try await migrationHead(session),
            tables: try await TableStatistics.collect(session)
        )
    }
}
