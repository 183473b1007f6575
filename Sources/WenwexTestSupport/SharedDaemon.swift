public import Foundation
import Synchronization
import WenwexConfig

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

    private static let started = StartOnce<Int>()

    /// The server's port, starting it on first use.
    public static func port() async throws -> Int {
        try await started.value { try await start() }
    }

    private static func start() async throws -> Int {
        guard let executable = DaemonAvailability.redis.executable else {
            throw Failure(
                description: "redis-server is not installed: `apt-get install redis-server` (scripts/test installs it)"
            )
        }
        let log = { (port: Int) in
            FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-redis-\(port).log")
        }
        let port: Int
        let listening: Bool
        do {
            (port, listening) = try await WatchedDaemon.startOnAFreePort(
                executable,
                ports: 30000..<40000,
                arguments: { ["--port", String($0), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"] },
                log: log,
                timeout: .seconds(30)
            )
        } catch {
            throw Failure(description: "cannot start redis-server: \(error)")
        }
        if listening { return port }
        let text = (try? String(contentsOf: log(port), encoding: .utf8)) ?? ""
        throw Failure(description: "redis-server did not start on port \(port) in 30 s:\n\(text)")
    }
}

/// A varnishd of the test's own, in front of `backendPort`, with the given VCL body (the
/// `vcl 4.1;` line and the backend are added); stopped by ``stop()`` or when the test process
/// exits.
public final class VarnishPeer: Sendable {
    public let port: Int
    private let directory: URL

    public static func start(backendPort: Int, vcl: String) async throws -> VarnishPeer {
        guard let executable = DaemonAvailability.varnish.executable else {
            throw SharedRedis.Failure(
                description: "varnishd is not installed: `apt-get install varnish` (scripts/test installs it)"
            )
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-varnish-\(UUID().uuidString)")
        let folder = { (port: Int) in root.appendingPathComponent(String(port)) }
        let text = "vcl 4.1;\nbackend default { .host = \"127.0.0.1\"; .port = \"\(backendPort)\"; }\n" + vcl
        let (port, listening) = try await WatchedDaemon.startOnAFreePort(
            executable,
            ports: 40000..<50000,
            arguments: { port in
                let work = folder(port)
                try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
                let file = work.appendingPathComponent("test.vcl")
                try? text.write(to: file, atomically: true, encoding: .utf8)
                return [
                    "-F", "-a", "127.0.0.1:\(port)", "-f", file.path, "-n", work.appendingPathComponent("work").path,
                    "-s", "malloc,64m",
                ]
            },
            log: { folder($0).appendingPathComponent("log") },
            timeout: .seconds(30)
        )
        let directory = folder(port)
        if listening {
            let peer = VarnishPeer(port: port, directory: directory)
            do {
                try await waitUntilTheChildRuns(directory.appendingPathComponent("work"), timeout: .seconds(30))
            } catch {
                peer.stop()
                throw error
            }
            return peer
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("log"), encoding: .utf8)) ?? ""
        throw SharedRedis.Failure(description: "varnishd did not start on port \(port) in 30 s:\n\(log)")
    }

    /// varnishd's manager listens before its child process, the one that answers requests, is up;
    /// on a loaded machine that takes seconds, and a request sent meanwhile can be cut off
    /// (seen in CI as "I/O on closed channel"). `varnishadm status` says when the child runs.
    private static func waitUntilTheChildRuns(_ work: URL, timeout: Duration) async throws {
        let admin = "/usr/bin/varnishadm"
        guard FileManager.default.isExecutableFile(atPath: admin) else { return }
        let answer = work.deletingLastPathComponent().appendingPathComponent("status")
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let child = try? SpawnedChild(
                admin,
                ["-n", work.path, "status"],
                input: .null,
                output: .file(answer.path),
                error: .null
            ) {
                _ = child.waitForExit()
                if let text = try? String(contentsOf: answer, encoding: .utf8), text.contains("running") { return }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw SharedRedis.Failure(description: "varnishd's child process was not running after \(timeout)")
    }

    private init(port: Int, directory: URL) {
        self.port = port
        self.directory = directory
    }

    /// Stops varnishd (the watchdog shell ends with it).
    public func stop() {
        let pattern = "\(directory.path)/work"
        let killer = try? SpawnedChild("/usr/bin/pkill", ["-f", pattern], input: .null, output: .null, error: .null)
        _ = killer?.waitForExit()
        // The peer's own folder, with every port tried.
        try? FileManager.default.removeItem(at: directory.deletingLastPathComponent())
    }
}
