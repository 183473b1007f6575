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
    /// The router whose primary answers the history query and whose nodes are listed.
    public let database: any DatabaseRouter
    /// The migrations this build shipped with: readiness means all of them are applied.
    public let migrations: [MigrationFile]

    /// A check of `database` against the migrations this build shipped with.
    public init(database: any DatabaseRouter, migrations: [MigrationFile]) {
        self.database = database
        self.migrations = migrations
    }

    /// The `/readyz` body.
    public struct Report: Codable, Sendable {
        /// Whether to send traffic: the primary answered and no migration is pending (but for
        /// those waiting for `--contract`), failed or edited.
        public var ready: Bool
        /// `reachable`, or `unreachable: …` with the masked reason.
        public var database: String
        /// How many of the shipped migrations the database has.
        public var appliedMigrations: Int
        /// Shipped but not applied yet: run `wenwex migrate deploy`.
        public var pendingMigrations: [String]
        /// The pending ones from the first contract migration on: they wait for `migrate deploy
        /// --contract`, which waits for every server to run this release, so they never make
        /// a server unready.
        public var waitingForContract: [String]
        /// The last migration this build shipped with, as the server registry records it.
        public var migrationHead: String?
        /// Started and failed: `wenwex migrate resolve` after fixing the database.
        public var failedMigrations: [String]
        /// Applied, but the file changed since (its checksum differs).
        public var editedMigrations: [String]
        /// Every node as the router sees it: availability, lag, ejections.
        public var nodes: [NodeStatus]
    }

    /// Reads the history on the primary; never throws, an unreachable database is a not-ready report.
    public func check() async -> Report {
        let nodes = database.status()
        do {
            let records = try await database.write { try await MigrationHistory($0).records() }.value
            let status = MigrationStatus(files: migrations, records: records)
            let waiting = status.pending.fromFirstContract.map(\.name)
            return Report(
                // A database ahead of this build (the next release deployed its migrations
                // first) is the middle of a rolling deploy: the old servers keep serving.
                ready: status.pending.count == waiting.count && status.failed.isEmpty && status.edited.isEmpty,
                database: "reachable",
                appliedMigrations: status.applied.count,
                pendingMigrations: status.pending.map(\.name),
                waitingForContract: waiting,
                migrationHead: migrations.last?.name,
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
                waitingForContract: [],
                migrationHead: migrations.last?.name,
                failedMigrations: [],
                editedMigrations: [],
                nodes: nodes
            )
        }
    }
}
