import Foundation
import WenwexConfig
public import WenwexMigrate
public import WenwexRouting
import WenwexSQL

/// Whether this instance should receive traffic: the primary answers and every migration in
/// the folder it shipped with is applied, none failed, none edited.
///
/// A server started against a database that is behind stays alive (`/healthz`) but not ready
/// (`/readyz` 503), so a rolling deploy never sends requests to code the schema cannot serve.
public struct Readiness: Sendable {
    public let database: any DatabaseRouter
    public let migrations: [MigrationFile]

    public init(database: any DatabaseRouter, migrations: [MigrationFile]) {
        self.database = database
        self.migrations = migrations
    }

    /// The `/readyz` body.
    public struct Report: Codable, Sendable {
        public var ready: Bool
        public var database: String
        public var appliedMigrations: Int
        public var pendingMigrations: [String]
        public var failedMigrations: [String]
        public var editedMigrations: [String]
        public var nodes: [NodeStatus]
    }

    public func check() async -> Report {
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
