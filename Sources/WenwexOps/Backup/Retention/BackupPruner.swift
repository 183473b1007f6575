public import Foundation

/// `wenwex backup prune`: deletes what the retention policy does not keep, and payloads of
/// backups that never finished.
public struct BackupPruner: Sendable {
    /// The environment's backups to prune.
    public var repository: BackupRepository
    /// What to keep; the newest verified backup is kept whatever it says.
    public var policy: RetentionPolicy
    /// A payload without a manifest younger than this may belong to a backup writing its
    /// manifest right now; older ones are left-overs of killed backups.
    public var incompleteGrace: TimeInterval = 3600

    /// ``incompleteGrace`` starts at one hour.
    public init(repository: BackupRepository, policy: RetentionPolicy) {
        self.repository = repository
        self.policy = policy
    }

    /// What a prune keeps and removes: the whole answer of a dry run.
    public struct Plan: Sendable {
        /// Kept backups with why, newest first.
        public var kept: [(manifest: BackupManifest, reasons: [String])]
        /// Backups no tier keeps; each loses its manifest, then its payload.
        public var deleted: [BackupManifest]
        /// Ids of payloads without a manifest that are removed.
        public var incomplete: [String]
    }

    /// What pruning would do now.
    public func plan(now: Date = Date()) async throws -> Plan {
        let manifests = try await repository.manifests()
        let keep = RetentionPlanner.keep(
            manifests.map { .init(id: $0.id, takenAt: $0.startedAt, verified: $0.isVerified) },
            policy: policy
        )
        let incomplete = try await repository.incomplete().filter { entry in
            guard let written = entry.writtenAt else { return true }
            return now.timeIntervalSince(written) > incompleteGrace
        }
        return Plan(
            kept: manifests.compactMap { manifest in keep[manifest.id].map { (manifest, $0) } },
            deleted: manifests.filter { keep[$0.id] == nil },
            incomplete: incomplete.map(\.id)
        )
    }

    /// Carries out ``plan(now:)``, or only returns it when `dryRun`.
    public func prune(dryRun: Bool = false, now: Date = Date()) async throws -> Plan {
        let plan = try await plan(now: now)
        guard !dryRun else { return plan }
        for manifest in plan.deleted { try await repository.delete(manifest.id) }
        for id in plan.incomplete { try await repository.store.delete(try repository.payloadKey(id)) }
        return plan
    }
}
