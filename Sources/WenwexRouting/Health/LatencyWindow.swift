/// The latencies of a node's most recent successful probes, for a timeout that follows the
/// latency the node has actually shown rather than a fixed guess.
struct LatencyWindow: Sendable {
    static let capacity = 100

    private var samples: [Duration] = []
    private var next = 0

    var isEmpty: Bool { samples.isEmpty }

    mutating func record(_ latency: Duration) {
        if samples.count < Self.capacity {
            samples.append(latency)
        } else {
            samples[next] = latency
        }
        next = (next + 1) % Self.capacity
    }

    /// The 99th percentile of the window (nearest rank), `nil` before the first sample.
    var p99: Duration? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let rank = (sorted.count * 99 + 99) / 100  // ceil(0.99 × n)
        return sorted[rank - 1]
    }
}
