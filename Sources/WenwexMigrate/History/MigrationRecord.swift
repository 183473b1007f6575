/// One row of the history table (`_prisma_migrations`).
public struct MigrationRecord: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        /// Finished and not rolled back.
        case applied
        /// Started and never finished: it failed, or the process applying it died.
        case failed
        /// Marked rolled back (`migrate resolve --rolled-back`); it may be applied again.
        case rolledBack
    }

    public var id: String
    public var name: String
    public var checksum: String
    public var startedAt: String?
    public var finishedAt: String?
    public var rolledBackAt: String?
    /// The error of a failed attempt.
    public var logs: String?
    public var appliedStepsCount: Int

    public var state: State {
        if rolledBackAt != nil { return .rolledBack }
        return finishedAt == nil ? .failed : .applied
    }
}
