import Synchronization

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
