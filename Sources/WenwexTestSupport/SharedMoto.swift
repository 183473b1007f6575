public import Foundation
import Synchronization
import WenwexConfig

#if canImport(Glibc)
    import Glibc
#endif

/// Whether the S3 tests run: moto's server (`moto[server]` from PyPI) is installed, or `CI` /
/// `WENWEX_REQUIRE_S3` is set, so there a missing moto fails the tests instead of skipping them.
public enum MotoAvailability {
    public static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/moto_server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    public static let shouldRun: Bool = {
        let required = TestRequirement.isRequired("WENWEX_REQUIRE_S3")
        return executable != nil || required
    }()
}

/// One moto S3 server on loopback for the whole test process, stopped when the process exits
/// (a watchdog shell kills it when this process is gone, even after a crash).
public enum SharedMoto {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private static let started = StartOnce<URL>()

    /// The server's endpoint, starting it on first use.
    public static func endpoint() async throws -> URL {
        try await started.value { try await start() }
    }

    /// A server of the caller's own, for a test that changes server-wide settings (moto's
    /// authentication); it ends with the test process.
    public static func startOwn() async throws -> URL {
        try await start()
    }

    private static func start() async throws -> URL {
        guard let executable = MotoAvailability.executable else {
            throw Failure(
                description:
                    "moto_server is not installed: `python3 -m pip install 'moto[server]'` (scripts/test installs it)"
            )
        }
        let port = 20000 + Int.random(in: 0..<10000)
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-moto-\(port).log")
        let listening: Bool
        do {
            listening = try await WatchedDaemon.start(
                executable,
                ["-H", "127.0.0.1", "-p", String(port)],
                log: log,
                port: port,
                timeout: .seconds(60)
            )
        } catch {
            throw Failure(description: "cannot start moto_server: \(error)")
        }
        if listening { return URL(string: "http://127.0.0.1:\(port)")! }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw Failure(description: "moto_server did not start on port \(port) in 60 s:\n\(text)")
    }

    static func canConnect(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// Whether the tuspy test runs: Python's `tusclient` (the `tuspy` package) imports, or `CI` /
/// `WENWEX_REQUIRE_S3` is set (`scripts/test` installs it beside moto).
public enum TuspyAvailability {
    public static let shouldRun: Bool = {
        let required = TestRequirement.isRequired("WENWEX_REQUIRE_S3")
        if required { return true }
        let check = try? SpawnedChild(
            "/usr/bin/env",
            ["python3", "-c", "import tusclient"],
            input: .null,
            output: .null,
            error: .null
        )
        return check?.waitForExit() == .exited(0)
    }()
}

/// Whether a suite that needs an installed service must run (and fail when the service is
/// missing) instead of skipping: `CI` or the suite's own variable is set to something true.
public enum TestRequirement {
    public static func isRequired(_ variable: String) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        return [environment["CI"], environment[variable]].contains { value in
            !["", "0", "false", "no"].contains((value ?? "").lowercased())
        }
    }
}
