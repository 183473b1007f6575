/// How `migrate deploy` takes table locks without stalling traffic (PostgreSQL).
///
/// An `ALTER TABLE` waiting for its lock behind a long transaction (a report, a forgotten
/// `psql`) makes every later query on that table wait behind *it*: one migration queued for a
/// minute is a minute of outage. So each migration's transaction runs with `lock_timeout`: an
/// attempt that cannot get its lock in time gives up, rolls back (nothing was applied, nothing
/// is recorded), lets the queued traffic through, and is retried after a backoff that doubles up
/// to ``maxBackoff``, until ``maxWait`` has passed in all. A migration that sets its own
/// `lock_timeout` overrides this one for its statements.
public struct MigrationLockRetry: Sendable, Hashable {
    /// `lock_timeout` for each attempt; `nil` waits as long as PostgreSQL does (no retries).
    public var lockTimeout: Duration?
    /// The longest a deploy keeps retrying one migration before it gives up.
    public var maxWait: Duration
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(
        lockTimeout: Duration?,
        maxWait: Duration = .seconds(300),
        initialBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(30)
    ) {
        self.lockTimeout = lockTimeout
        self.maxWait = maxWait
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// 500 ms per attempt (pgroll's default: the longest the traffic behind a waiting
    /// migration queues), retried for up to 5 minutes.
    public static let `default` = MigrationLockRetry(lockTimeout: .milliseconds(500))
    /// PostgreSQL's own behaviour: wait for the lock however long it takes.
    public static let disabled = MigrationLockRetry(lockTimeout: nil)

    /// The `SET LOCAL` statement for an attempt in a transaction, or `nil` when disabled.
    var setting: String? { milliseconds.map { "SET LOCAL lock_timeout = '\($0)ms'" } }

    /// The session-wide `SET` for one statement of a file that runs outside a transaction
    /// (where `SET LOCAL` does nothing), or `nil` when disabled.
    var sessionSetting: String? { milliseconds.map { "SET lock_timeout = '\($0)ms'" } }

    private var milliseconds: Int64? {
        guard let lockTimeout, lockTimeout > .zero else { return nil }
        return max(
            1,
            lockTimeout.components.seconds * 1000 + lockTimeout.components.attoseconds / 1_000_000_000_000_000
        )
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1).
    func backoff(after attempt: Int) -> Duration {
        var wait = initialBackoff
        for _ in 1..<max(attempt, 1) {
            wait = wait * 2
            if wait >= maxBackoff { return maxBackoff }
        }
        return min(wait, maxBackoff)
    }

    /// SQLSTATE 55P03 `lock_not_available`: what `lock_timeout` raises.
    static let lockNotAvailable = "55P03"
}
