public import Foundation

/// Busy processes that keep every core of the machine occupied, so a test sees the router (and
/// PostgreSQL) the way a loaded production host or a busy CI runner does: slow, not broken.
///
/// Each hog is a Perl busy loop that ends by itself after its time limit or as soon as the test
/// process is gone (it checks its parent), so none outlives a crashed test. They are stopped
/// with `SIGKILL`: children of a Swift test process inherit its blocked signals, so `SIGTERM`
/// (and `timeout`'s alarm) would never reach them.
///
/// `Process` is not `Sendable`; its `isRunning` and `waitUntilExit()` are safe from any thread,
/// which is all this type calls after start-up.
public final class CPUHog: @unchecked Sendable {
    private let processes: [Process]

    private init(processes: [Process]) {
        self.processes = processes
    }

    /// Starts one busy process per core plus one (or `count`), each ending after `limit` at the
    /// latest.
    public static func start(count: Int? = nil, limit: Duration = .seconds(300)) throws -> CPUHog {
        let seconds = max(1, limit.components.seconds)
        let processes = try (0..<(count ?? ProcessInfo.processInfo.activeProcessorCount + 1)).map { _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/perl")
            process.arguments = [
                "-e",
                "my $end = time + \(seconds); my $parent = getppid(); 1 while time < $end && getppid() == $parent",
            ]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
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
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        for process in processes {
            process.waitUntilExit()
        }
    }
}
