public import Foundation
import Synchronization
import WenwexConfig

#if canImport(Glibc)
    import Glibc
#endif

/// The servers tests start beside them (moto, redis-server, varnishd): launched in the
/// background under a watchdog shell that kills them once the test process is gone, even after
/// a crash, and ends when they end.
enum WatchedDaemon {
    /// Starts `executable` with `arguments`, its output in `log`, and waits until `port` on
    /// loopback accepts connections: `false` when it did not within `timeout`, or as soon as the
    /// log shows the port was taken (a random port can be another connection's local port).
    static func start(_ executable: String, _ arguments: [String], log: URL, port: Int, timeout: Duration) async throws
        -> Bool
    {
        let watchdog = try SpawnedChild(
            "/bin/sh",
            [
                "-c",
                "log=$1; shift; \"$0\" \"$@\" >\"$log\" 2>&1 & d=$!; "
                    + "while kill -0 \(getpid()) 2>/dev/null && kill -0 $d 2>/dev/null; do sleep 1; done; kill $d 2>/dev/null",
                executable, log.path,
            ] + arguments,
            input: .null,
            output: .null,
            error: .null
        )
        Thread.detachNewThread { _ = watchdog.waitForExit() }  // reaped when it ends, no zombie
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if SharedMoto.canConnect(port: port) { return true }
            if portTaken(log) { return false }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Whether the daemon's log says its port was in use (varnishd, redis-server, werkzeug).
    static func portTaken(_ log: URL) -> Bool {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.localizedCaseInsensitiveContains("address already in use")
    }

    /// Starts a daemon on a random port of `ports`, trying another one (up to 5 in all) when the
    /// port was taken; returns the last port tried and whether the daemon listens there (its
    /// log is at `log(port)`).
    static func startOnAFreePort(
        _ executable: String,
        ports: Range<Int>,
        arguments: (Int) -> [String],
        log: (Int) -> URL,
        timeout: Duration
    ) async throws -> (port: Int, listening: Bool) {
        var attempt = 1
        while true {
            let port = Int.random(in: ports)
            let listening = try await start(executable, arguments(port), log: log(port), port: port, timeout: timeout)
            if listening || !portTaken(log(port)) || attempt == 5 { return (port, listening) }
            attempt += 1
        }
    }
}

/// A start that happens once per test process: concurrent first callers wait for the same
/// start, without holding a thread (tests share two cooperative threads on 2 cores).
final class StartOnce<Value: Sendable>: Sendable {
    private let task = Mutex<Task<Value, any Error>?>(nil)

    func value(_ start: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let running = task.withLock { task in
            if let task { return task }
            let started = Task { try await start() }
            task = started
            return started
        }
        return try await running.value
    }
}
