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
    /// unless it exits 0.
    static func run(_ arguments: [String]) async throws -> String {
        // Through env: the script needs bash 4+, which on macOS is Homebrew's, not /bin/bash.
        let outcome: ChildProcess.Outcome
        do {
            outcome = try await ChildProcess.run("/usr/bin/env", ["bash", path] + arguments)
        } catch {
            throw PostgresClusterError(arguments: arguments, reason: "cannot run \(path): \(error)")
        }
        guard !outcome.killedBySignal, outcome.status == 0 else {
            let tail = outcome.stderr.split(separator: "\n", omittingEmptySubsequences: false).suffix(30)
            throw PostgresClusterError(
                arguments: arguments,
                exitStatus: outcome.status,
                stderrTail: tail.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines),
                reason: outcome.killedBySignal ? "killed by signal" : ""
            )
        }
        return outcome.stdout
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
}
