import Foundation
import WenwexConfig
import WenwexMigrate
import WenwexRouting
import WenwexSQL

/// Whether this instance should receive traffic: the primary answers and every migration in
/// the folder it shipped with is applied, none failed, none edited.
///
/// A server started against a database that is behind stays alive (`/healthz`) but not ready
/// (`/readyz` 503), so a rolling deploy never sends requests to code the schema cannot serve.
struct Readiness: Sendable {
    let database: any DatabaseRouter
    let migrations: [MigrationFile]

    struct Report: Codable, Sendable {
        var ready: Bool
        var database: String
        var appliedMigrations: Int
        var pendingMigrations: [String]
        var failedMigrations: [String]
        var editedMigrations: [String]
        var nodes: [NodeStatus]
    }

    func check() async -> Report {
        let nodes = database.status()
        do {
            let records = try await database.write { try await MigrationHistory($0).records() }.value
            let status = MigrationStatus(files: migrations, records: records)
            return Report(
                ready: status.isUpToDate,
                database: "reachable",
                appliedMigrations: status.applied.count,
                pendingMigrations: status.pending.map(\.name),
                failedMigrations: status.failed.map(\.name),
                editedMigrations: status.edited.map(\.name),
                nodes: nodes
            )
        } catch {
            return Report(
                ready: false,
                database: "unreachable: " + SecretMasker.maskingCredentials(in: String(describing: error)),
                appliedMigrations: 0,
                pendingMigrations: [],
                failedMigrations: [],
                editedMigrations: [],
                nodes: nodes
            )
        }
    }
}
