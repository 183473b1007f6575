public import Foundation
import WenwexConfig

/// Busy processes that keep every core of the machine occupied, so a test sees the router (and
/// PostgreSQL) the way a loaded production host or a busy CI runner does: slow, not broken.
///
/// Each hog is a Perl busy loop that ends by itself after its time limit or as soon as the test
/// process is gone (it checks its parent), so none outlives a crashed test. They are stopped
/// with `SIGKILL`, which no signal mask can hold back.
public final class CPUHog: Sendable {
    private let processes: [SpawnedChild]

    private init(processes: [SpawnedChild]) {
        self.processes = processes
    }

    /// Starts one busy process per core plus one (or `count`), each ending after `limit` at the
    /// latest.
    public static func start(count: Int? = nil, limit: Duration = .seconds(300)) throws -> CPUHog {
        let seconds = max(1, limit.components.seconds)
        let processes = try (0..<(count ?? ProcessInfo.processInfo.activeProcessorCount + 1)).map { _ in
            try SpawnedChild(
                "/usr/bin/perl",
                [
                    "-e",
                    "my $end = time + \(seconds); my $parent = getppid(); 1 while time < $end && getppid() == $parent",
                ],
                input: .null,
                output: .null,
                error: .null
            )
        }
        return CPUHog(processes: processes)
    }

    /// Runs `body` with the machine's cores kept busy, and stops the hogs afterwards.
    public static func whileRunning<Value>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> Value
    ) async throws -> Value {
        let hog = try start()
        defer { hog.stop() }
        return try await body()
    }

    /// Stops every hog.
    public func stop() {
        for process in processes { process.send(SIGKILL) }
        for process in processes { _ = process.waitForExit() }
    }
}
