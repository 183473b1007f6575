import Synchronization

/// What the router knows about one node in detail, updated by probes and failed requests.
struct NodeHealth: Sendable {
    /// `false` once the node stopped answering (a failed probe or request). Its connection pool
    /// is then shut down, failing every queued request at once, and only the pool's supervisor
    /// sets this back, after a probe succeeded and a fresh pool is in place.
    var isReachable = true
    /// Why the node stopped answering.
    var unreachableReason: String?
    /// Set by probes: the node answers but must not serve (too far behind, wrong role).
    var roleOrLagReason: String?
    /// The last probe succeeded; the supervisor waits for this before re-admitting.
    var probeSucceeded = false
    /// Within the lag bounds for reads without a token.
    var isFresh = true
    var lagBytes: UInt64?
    var lagSeconds: Double?

    /// Why requests must not go to the node, or `nil` when they may.
    var ejectionReason: String? {
        isReachable ? roleOrLagReason : (unreachableReason ?? "unreachable")
    }

    var isAvailable: Bool { ejectionReason == nil }

    /// Marks the node unreachable until a later probe succeeds.
    mutating func markUnreachable(_ reason: String) {
        isReachable = false
        unreachableReason = reason
        probeSucceeded = false
    }
}

/// One node's health: the detailed record behind a lock, and the few facts the request path
/// reads on every call mirrored in atomics so routing a request takes no lock.
final class NodeState: Sendable {
    let name: String
    let role: NodeStatus.Role
    let metrics: NodeMetrics
    private let health = Mutex(NodeHealth())
    private let inFlight = Atomic<Int>(0)
    private let served = Atomic<Int>(0)
    private let available = Atomic<Bool>(true)
    private let reachable = Atomic<Bool>(true)
    private let fresh = Atomic<Bool>(true)
    /// The highest replay position seen (0 = unknown); positions only move forward.
    private let replayed = Atomic<UInt64>(0)

    init(name: String, role: NodeStatus.Role) {
        self.name = name
        self.role = role
        self.metrics = NodeMetrics(node: name)
    }

    var snapshot: NodeHealth { health.withLock { $0 } }
    var isAvailable: Bool { available.load(ordering: .relaxed) }
    var isReachable: Bool { reachable.load(ordering: .relaxed) }
    /// Available and within the lag bounds: may serve a read without a token.
    var isFreshAndAvailable: Bool { isAvailable && fresh.load(ordering: .relaxed) }
    var outstanding: Int { inFlight.load(ordering: .relaxed) }

    /// Whether the node is known to have replayed everything up to `token`.
    func hasReplayed(_ token: ConsistencyToken) -> Bool {
        let position = replayed.load(ordering: .relaxed)
        return position != 0 && position >= token.position
    }

    /// Applies `change` and returns the health before and after it.
    @discardableResult
    func update(_ change: (inout NodeHealth) -> Void) -> (before: NodeHealth, after: NodeHealth) {
        health.withLock { health in
            let before = health
            change(&health)
            available.store(health.isAvailable, ordering: .relaxed)
            reachable.store(health.isReachable, ordering: .relaxed)
            fresh.store(health.isFresh, ordering: .relaxed)
            return (before, health)
        }
    }

    /// Records a replay position seen on this node.
    func observeReplay(_ position: ConsistencyToken) {
        var current = replayed.load(ordering: .relaxed)
        while current < position.position {
            let (exchanged, original) = replayed.compareExchange(
                expected: current,
                desired: position.position,
                ordering: .relaxed
            )
            if exchanged { return }
            current = original
        }
    }

    /// Counts a request as in flight for the duration of `body`.
    func tracking<Value>(_ body: () async throws -> Value) async rethrows -> Value {
        inFlight.add(1, ordering: .relaxed)
        served.add(1, ordering: .relaxed)
        defer { inFlight.subtract(1, ordering: .relaxed) }
        return try await body()
    }

    func status() -> NodeStatus {
        let health = snapshot
        let position = replayed.load(ordering: .relaxed)
        return NodeStatus(
            name: name,
            role: role,
            isAvailable: health.isAvailable,
            ejectionReason: health.ejectionReason,
            replayPosition: position == 0 ? nil : ConsistencyToken(position: position),
            lagBytes: health.lagBytes,
            lagSeconds: health.lagSeconds,
            outstandingRequests: outstanding,
            queriesServed: served.load(ordering: .relaxed)
        )
    }
}

/// A cheap shared random source for load balancing: `SystemRandomNumberGenerator` makes a
/// system call per number on Linux, too slow for every request. splitmix64 over an atomic
/// counter is plenty random for picking among a few nodes.
private let pickCounter = Atomic<UInt64>(0x9E37_79B9_7F4A_7C15)

private func fastRandom(below bound: Int) -> Int {
    var z = pickCounter.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Int(z % UInt64(bound))
}

/// Power of two choices: sample two eligible nodes, take the one with fewer requests in flight.
/// Spreads load nearly as well as least-outstanding over all nodes without scanning them all,
/// and never herds every request onto the one node that just became least loaded. Samples
/// without allocating (reservoir sampling), since it runs on every read.
func pickLeastLoaded<Node>(_ nodes: [Node], state: (Node) -> NodeState, where eligible: (NodeState) -> Bool) -> Node? {
    var first: Node?
    var second: Node?
    var seen = 0
    for node in nodes where eligible(state(node)) {
        seen += 1
        if seen == 1 {
            first = node
        } else if seen == 2 {
            second = node
        } else {
            switch fastRandom(below: seen) {
            case 0: first = node
            case 1: second = node
            default: break
            }
        }
    }
    guard let first else { return nil }
    guard let second else { return first }
    let (a, b) = (state(first).outstanding, state(second).outstanding)
    if a == b { return fastRandom(below: 2) == 0 ? first : second }
    return a < b ? first : second
}
