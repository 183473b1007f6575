public import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A service the edge tests run beside them (redis-server, varnishd), found on `PATH` or in
/// `/usr/sbin`. Tests run when it is installed, or when `CI` / `WENWEX_REQUIRE_EDGE_PEERS` is
/// set, so there a missing daemon fails instead of skipping (`scripts/test` installs them).
public struct DaemonAvailability: Sendable {
    public let executable: String?
    public var shouldRun: Bool { executable != nil || TestRequirement.isRequired("WENWEX_REQUIRE_EDGE_PEERS") }

    public init(_ name: String) {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") + ":/usr/sbin:/sbin"
        executable = path.split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public static let redis = DaemonAvailability("redis-server")
    public static let varnish = DaemonAvailability("varnishd")
}

/// One redis-server on loopback for the whole test process, with no persistence, stopped when
/// the process exits (a watchdog shell kills it even after a crash).
public enum SharedRedis {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private static let startTask = Mutex<Task<Int, any Error>?>(nil)

    /// The server's port, starting it on first use.
    public static func port() async throws -> Int {
        let task = startTask.withLock { task in
            if let task { return task }
            let started = Task { try await start() }
            task = started
            return started
        }
        return try await task.value
    }

    private static func start() async throws -> Int {
        guard let executable = DaemonAvailability.redis.executable else {
            throw Failure(description: "redis-server is not installed: `apt-get install redis-server` (scripts/test installs it)")
        }
        let port = 30000 + Int.random(in: 0..<10000)
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-redis-\(port).log")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c",
            "\"$0\" --port \(port) --bind 127.0.0.1 --save '' --appendonly no >\"$1\" 2>&1 & r=$!; "
                + "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; kill $r",
            executable, log.path,
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw Failure(description: "cannot start redis-server: \(error)") }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if SharedMoto.canConnect(port: port) { return port }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw Failure(description: "redis-server did not start on port \(port) in 30 s:\n\(text)")
    }
}
