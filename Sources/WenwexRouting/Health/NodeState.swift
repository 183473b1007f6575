import Synchronization

/// One node's health: the detailed record behind a lock, and the few facts the request path
/// reads on every call mirrored in atomics so routing a request takes no lock.
final class NodeState: Sendable {
    let name: String
    let role: NodeStatus.Role
    let metrics: NodeMetrics
    /// Notified on every health change, so the pool's supervisor waits on events, not a timer.
    let changes = ChangeSignal()
    /// Notified when the replay position advances; shared by a router's replicas, so a read
    /// waiting for any of them to catch up with its token wakes when one does.
    let replayAdvances: ChangeSignal
    private let health: Mutex<NodeHealth>
    private let inFlight = Atomic<Int>(0)
    private let served = Atomic<Int>(0)
    private let ejected = Atomic<Int>(0)
    private let available = Atomic<Bool>(true)
    private let reachable = Atomic<Bool>(true)
    private let fresh = Atomic<Bool>(true)
    /// The highest replay position seen (0 = unknown); positions only move forward.
    private let replayed = Atomic<UInt64>(0)

    init(
        name: String,
        role: NodeStatus.Role,
        policy: HealthPolicy = HealthPolicy(RoutingOptions()),
        replayAdvances: ChangeSignal = ChangeSignal()
    ) {
        self.name = name
        self.replayAdvances = replayAdvances
        self.role = role
        self.metrics = NodeMetrics(node: name)
        self.health = Mutex(NodeHealth(role: role, policy: policy))
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
        let result = health.withLock { health in
            let before = health
            change(&health)
            available.store(health.isAvailable, ordering: .relaxed)
            reachable.store(health.isReachable, ordering: .relaxed)
            fresh.store(health.isFresh, ordering: .relaxed)
            return (before, health)
        }
        changes.notify()
        return result
    }

    /// Counts one ejection (the node left rotation).
    func countEjection() {
        ejected.add(1, ordering: .relaxed)
    }

    /// Records a replay position seen on this node.
    func observeReplay(_ position: ConsistencyToken) {
        if replayed.raise(to: position.position) { replayAdvances.notify() }
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
            isDegraded: health.isDegraded,
            ejectionReason: health.ejectionReason,
            replayPosition: position == 0 ? nil : ConsistencyToken(position: position),
            lagBytes: health.lagBytes,
            lagSeconds: health.lagSeconds,
            outstandingRequests: outstanding,
            queriesServed: served.load(ordering: .relaxed),
            ejections: ejected.load(ordering: .relaxed)
        )
    }
}
