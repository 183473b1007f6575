import Foundation

/// Runs `scripts/pg-cluster` for ``PostgresCluster``.
enum ClusterScript {
    /// `WENWEX_PG_CLUSTER` if set, else `scripts/pg-cluster` of the checkout this file was
    /// compiled from (`Sources/WenwexTestSupport/` is two levels below the repository root).
    static let path: String = {
        if let path = ProcessInfo.processInfo.environment["WENWEX_PG_CLUSTER"], !path.isEmpty {
            return path
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("scripts/pg-cluster")
            .path
    }()

    /// Runs the script with `arguments` and returns its stdout; throws ``PostgresClusterError``
    /// unless it exits 0. The blocking work happens on a new thread (not the cooperative pool,
    /// which has a thread per core and would stall every other test while a server starts).
    static func run(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: runBlocking(arguments))
            }
        }
    }

    /// `KEY=VALUE` lines of the script's stdout as a dictionary.
    static func keyValues(_ output: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }

    /// Runs the script synchronously without Foundation, for `atexit` handlers, where threads
    /// and run loops may already be going away. Output goes to the process's own stdout/stderr.
    static func runAtExit(_ arguments: [String]) {
        let argv = (["/usr/bin/env", "bash", path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        #if canImport(Darwin)
            let environment = _NSGetEnviron().pointee
        #else
            let environment = environ
        #endif
        guard posix_spawn(&pid, "/usr/bin/env", nil, nil, argv, environment) == 0 else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    private static func runBlocking(_ arguments: [String]) -> Result<String, PostgresClusterError> {
        let process = Process()
        // Through env: the script needs bash 4+, which on macOS is Homebrew's, not /bin/bash.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", path] + arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            return .failure(PostgresClusterError(arguments: arguments, reason: "cannot run \(path): \(error)"))
        }
        // Drain stderr on a second thread: a full pipe would block the script, and with it us.
        let stderrData = CollectedData()
        let stderrHandle = stderr.fileHandleForReading
        Thread.detachNewThread {
            stderrData.finish(stderrHandle.readDataToEndOfFile())
        }
        let stdoutData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorText = String(decoding: stderrData.wait(), as: UTF8.self)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let tail = errorText.split(separator: "\n", omittingEmptySubsequences: false).suffix(30)
            return .failure(
                PostgresClusterError(
                    arguments: arguments,
                    exitStatus: process.terminationStatus,
                    stderrTail: tail.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines),
                    reason: process.terminationReason == .exit ? "" : "killed by signal"
                )
            )
        }
        return .success(String(decoding: stdoutData, as: UTF8.self))
    }
}

/// Data produced on one thread and awaited (blocking) on another.
private final class CollectedData: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()  // written once before `done` is signalled, read after

    func finish(_ value: Data) {
        data = value
        done.signal()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
