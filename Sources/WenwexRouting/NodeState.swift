import Synchronization

/// What the router knows about one node, updated by probes and by failed requests.
struct NodeHealth: Sendable {
    var isReachable = true
    /// Set when the node must not receive requests (unreachable, too far behind, wrong role).
    var ejectionReason: String?
    var replayPosition: ConsistencyToken?
    var lagBytes: UInt64?
    var lagSeconds: Double?
    var queriesServed = 0

    var isAvailable: Bool { ejectionReason == nil }
}

/// Shared, lock-protected health plus a lock-free in-flight counter for load balancing.
final class NodeState: Sendable {
    let name: String
    let role: NodeStatus.Role
    let metrics: NodeMetrics
    private let health = Mutex(NodeHealth())
    private let inFlight = Atomic<Int>(0)

    init(name: String, role: NodeStatus.Role) {
        self.name = name
        self.role = role
        self.metrics = NodeMetrics(node: name)
    }

    var snapshot: NodeHealth { health.withLock { $0 } }

    var outstanding: Int { inFlight.load(ordering: .relaxed) }

    /// Applies `change` and returns the health before and after it.
    @discardableResult
    func update(_ change: (inout NodeHealth) -> Void) -> (before: NodeHealth, after: NodeHealth) {
        health.withLock { health in
            let before = health
            change(&health)
            return (before, health)
        }
    }

    /// Records a replay position seen on this node; positions only move forward.
    func observeReplay(_ position: ConsistencyToken) {
        health.withLock { health in
            if health.replayPosition.map({ $0 < position }) ?? true {
                health.replayPosition = position
            }
        }
    }

    /// Counts a request as in flight for the duration of `body`.
    func tracking<Value>(_ body: () async throws -> Value) async rethrows -> Value {
        inFlight.add(1, ordering: .relaxed)
        defer { inFlight.subtract(1, ordering: .relaxed) }
        health.withLock { $0.queriesServed += 1 }
        return try await body()
    }

    func status() -> NodeStatus {
        let health = snapshot
        return NodeStatus(
            name: name,
            role: role,
            isAvailable: health.isAvailable,
            ejectionReason: health.ejectionReason,
            replayPosition: health.replayPosition,
            lagBytes: health.lagBytes,
            lagSeconds: health.lagSeconds,
            outstandingRequests: outstanding,
            queriesServed: health.queriesServed
        )
    }
}

/// Power of two choices: sample two candidates, take the one with fewer requests in flight.
/// Spreads load nearly as well as least-outstanding over all nodes without scanning them all,
/// and never herds every request onto the one node that just became least loaded.
func pickLeastLoaded(_ candidates: [NodeState]) -> NodeState? {
    guard candidates.count > 1 else { return candidates.first }
    let first = Int.random(in: 0..<candidates.count)
    var second = Int.random(in: 0..<(candidates.count - 1))
    if second >= first { second += 1 }
    return candidates[first].outstanding <= candidates[second].outstanding ? candidates[first] : candidates[second]
}
