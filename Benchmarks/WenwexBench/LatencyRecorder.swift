/// Latencies of one run, for throughput and percentiles.
struct RunResult: Sendable {
    var name: String
    var latencies: [Duration]
    var elapsed: Duration

    var throughput: Double {
        Double(latencies.count) / seconds(elapsed)
    }

    /// One result from several rounds of the same contender.
    static func merging(_ rounds: [RunResult]) -> RunResult {
        RunResult(
            name: rounds.first?.name ?? "",
            latencies: rounds.flatMap(\.latencies),
            elapsed: rounds.map(\.elapsed).reduce(.zero, +)
        )
    }

    func percentile(_ fraction: Double) -> Duration {
        let sorted = latencies.sorted()
        guard !sorted.isEmpty else { return .zero }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func microseconds(_ duration: Duration) -> Double {
    seconds(duration) * 1e6
}

/// Runs `workers` concurrent loops of `operation` for `duration` and records every latency.
func measure(
    _ name: String,
    workers: Int,
    duration: Duration,
    _ operation: @escaping @Sendable (Int) async throws -> Void
) async throws -> RunResult {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start.advanced(by: duration)
    let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
        for worker in 0..<workers {
            group.addTask {
                var local: [Duration] = []
                var iteration = worker
                while clock.now < deadline {
                    let began = clock.now
                    try await operation(iteration)
                    local.append(began.duration(to: clock.now))
                    iteration += workers
                }
                return local
            }
        }
        var all: [Duration] = []
        for try await part in group { all += part }
        return all
    }
    return RunResult(name: name, latencies: latencies, elapsed: start.duration(to: clock.now))
}
