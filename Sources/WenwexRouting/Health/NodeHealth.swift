/// What the router knows about one node's health, and every rule that changes it.
///
/// A value type driven by the outcomes of probes and requests, with the time passed in, so each
/// transition (accrual, degrade, eject, re-admit) is tested without a server and without
/// waiting. The rules tell *slow* from *gone*:
/// - **Gone** (``isReachable`` is `false`): a connection-level failure (refused, reset, closed by
///   the server, a broken protocol stream), ``HealthPolicy/failureThreshold`` failed probes in a
///   row within ``HealthPolicy/failureWindow``, or a probe unanswered for
///   ``HealthPolicy/unresponsiveLimit``. The node's pool is shut down, failing queued requests at
///   once, and only a later successful probe brings it back (``readmit()``).
/// - **Slow** (``isDegraded``): a probe outstanding longer than the adaptive ``probeTimeout``.
///   A slow replica gets no new reads but keeps its pool and its reads in flight; a slow primary
///   keeps taking writes. One slow probe never ejects a node: the pgpool-II and Patroni lesson
///   that a busy primary answered with a self-made outage is the worse failure.
struct NodeHealth: Sendable {
    let role: NodeStatus.Role
    let policy: HealthPolicy

    /// Why the node is gone, `nil` while it is reachable.
    private(set) var downReason: String?
    /// A probe succeeded since the node was last marked gone; the supervisor waits for this
    /// before it re-admits the node with a fresh pool.
    private(set) var probeSucceededSinceDown = false
    /// Failed probes in a row (successes and the failure window reset it).
    private(set) var consecutiveFailures = 0
    private var firstFailureAt: ContinuousClock.Instant?
    /// Since when the current probe has been outstanding past the timeout.
    private(set) var slowSince: ContinuousClock.Instant?
    private var latencies = LatencyWindow()

    /// Set by probes: the node answers but must not serve (too far behind, wrong role).
    var roleOrLagReason: String?
    /// Within the lag bounds for reads without a token.
    var isFresh = true
    var lagBytes: UInt64?
    var lagSeconds: Double?

    init(role: NodeStatus.Role, policy: HealthPolicy) {
        self.role = role
        self.policy = policy
    }

    var isReachable: Bool { downReason == nil }
    var isDegraded: Bool { slowSince != nil }

    /// Why requests must not go to the node, or `nil` when they may. A slow primary still takes
    /// writes (and reads that fall back to it); a slow replica takes no new reads.
    var ejectionReason: String? {
        if let downReason { return downReason }
        if let roleOrLagReason { return roleOrLagReason }
        if role == .replica, isDegraded {
            return "degraded: a probe is unanswered after \(probeTimeout.formattedForHealth)"
        }
        return nil
    }

    var isAvailable: Bool { ejectionReason == nil }

    /// How long a probe may take before the node counts as slow: `slowProbeMultiple` times the
    /// node's recent p99, never below the configured floor nor above the unresponsive limit.
    /// Adaptive rather than fixed (a phi-accrual detector would also work; a timeout tied to
    /// observed latency is simpler to reason about and to state in a status page).
    var probeTimeout: Duration {
        guard let p99 = latencies.p99 else { return policy.probeTimeoutFloor }
        return min(max(p99 * policy.slowProbeMultiple, policy.probeTimeoutFloor), policy.unresponsiveLimit)
    }

    // MARK: Transitions

    /// A probe answered after `latency`.
    mutating func probeSucceeded(latency: Duration) {
        latencies.record(latency)
        consecutiveFailures = 0
        firstFailureAt = nil
        slowSince = nil
        probeSucceededSinceDown = true
    }

    /// The current probe is still unanswered after ``probeTimeout``.
    mutating func probeIsSlow(at now: ContinuousClock.Instant) {
        if slowSince == nil { slowSince = now }
    }

    /// A probe failed; `kind` says whether the failure alone proves the node gone.
    mutating func probeFailed(_ kind: FailureKind, reason: String, at now: ContinuousClock.Instant) {
        slowSince = nil
        probeSucceededSinceDown = false
        if let first = firstFailureAt, first.duration(to: now) > policy.failureWindow {
            consecutiveFailures = 0
        }
        if consecutiveFailures == 0 { firstFailureAt = now }
        consecutiveFailures += 1
        if kind == .connection {
            markDown(reason)
        } else if consecutiveFailures >= policy.failureThreshold {
            markDown("\(consecutiveFailures) probes failed in a row; the last: \(reason)")
        }
    }

    /// A probe has been outstanding for the whole unresponsive limit.
    mutating func probeUnanswered() {
        slowSince = nil
        probeSucceededSinceDown = false
        markDown("no answer for \(policy.unresponsiveLimit.formattedForHealth)")
    }

    /// A request failed in a way that means its connection or the node is broken.
    mutating func requestFailed(reason: String) {
        markDown(reason)
        probeSucceededSinceDown = false
    }

    /// The supervisor put a fresh pool in place after a successful probe.
    mutating func readmit() {
        downReason = nil
        consecutiveFailures = 0
        firstFailureAt = nil
    }

    private mutating func markDown(_ reason: String) {
        if downReason == nil { downReason = reason }
    }
}

extension Duration {
    /// `250 ms`, `1.5 s`: for health messages.
    var formattedForHealth: String {
        let (seconds, attoseconds) = components
        let milliseconds = Double(seconds) * 1_000 + Double(attoseconds) / 1e15
        if milliseconds < 1_000 { return "\(Int(milliseconds.rounded())) ms" }
        let tenths = (milliseconds / 100).rounded() / 10
        return tenths == tenths.rounded() ? "\(Int(tenths)) s" : "\(tenths) s"
    }
}
