import Foundation
import Synchronization

/// Whether PostgreSQL tests can and should run here.
public enum PostgresAvailability {
    /// True when PostgreSQL's `initdb` is found where `scripts/pg-cluster` looks: `$PG_BIN`,
    /// `PATH`, or `/usr/lib/postgresql/*/bin` (Debian's `postgresql` package).
    public static let isInstalled: Bool = {
        let fileManager = FileManager.default
        let environment = ProcessInfo.processInfo.environment
        var directories = [environment["PG_BIN"] ?? ""]
        directories += (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        directories += debianInstallations.map { "\($0)/bin" }
        return directories.contains { !$0.isEmpty && fileManager.isExecutableFile(atPath: "\($0)/initdb") }
    }()

    /// Debian's server installations (`/usr/lib/postgresql/NN`), oldest first.
    public static let debianInstallations: [String] = {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions.compactMap(Int.init).sorted().map { "\(root)/\($0)" }
    }()

    /// Whether Debian's pgAudit (`postgresql-NN-pgaudit`) is installed beside a server.
    public static let hasPGAudit: Bool = {
        debianInstallations.contains { FileManager.default.fileExists(atPath: "\($0)/lib/pgaudit.so") }
    }()

    /// For `@Suite(.enabled(if: PostgresAvailability.shouldRun))`: true when PostgreSQL is
    /// installed, and also when `CI` or `WENWEX_REQUIRE_POSTGRES` is set (`scripts/test` sets
    /// the latter), so that there a missing PostgreSQL fails the tests (with the script's
    /// "install postgresql" message) instead of silently skipping them.
    public static let shouldRun: Bool = {
        isInstalled || TestRequirement.isRequired("WENWEX_REQUIRE_POSTGRES")
    }()
}

/// One cluster for the whole test process: a primary and one streaming replica, started on first
/// use and destroyed when the process exits.
///
/// Starting a server costs a second or two, so suites share this one and isolate themselves by
/// database: each test takes a ``freshDatabase(prefix:)``. Tests must not stop its nodes, add
/// replicas or change server settings; they start a private ``PostgresCluster`` for that.
public enum SharedPostgres {
    private static let startTask = Mutex<Task<PostgresCluster, any Error>?>(nil)
    private static let databaseCounter = Atomic<Int>(0)

    /// The shared cluster. Concurrent first callers wait for the same start; if it failed, every
    /// caller gets that error (a broken installation fails each test the same way, quickly).
    public static func cluster() async throws -> PostgresCluster {
        let task = startTask.withLock { task in
            if let task { return task }
            let started = Task { try await startShared() }
            task = started
            return started
        }
        return try await task.value
    }

    /// Creates a database with a process-unique name (`PREFIX_N`) on the shared cluster and
    /// returns its URL on the primary. The name is the URL's last path component; the replica
    /// (`cluster().replicas[0]`) serves it too, after ``PostgresCluster/waitForReplay(timeout:)``.
    public static func freshDatabase(prefix: String = "t") async throws -> String {
        let shared = try await cluster()
        let number = databaseCounter.wrappingAdd(1, ordering: .relaxed).newValue
        // PostgreSQL truncates names at 63 bytes: keep the unique number.
        let name = "\(String(prefix.utf8.prefix(40)) ?? "t")_\(number)"
        return try await shared.createDatabase(name)
    }

    private static func startShared() async throws -> PostgresCluster {
        // Every suite that needs a database shares this server, many at once: PostgreSQL's
        // default of 100 connections ran out in a full run.
        // pgAudit when Debian's postgresql-NN-pgaudit is installed (scripts/test installs it):
        // the access tests check statement logging of personal logins.
        let started = try await PostgresCluster.start(
            replicas: 1,
            settings: ["max_connections": "400"],
            preloadIfInstalled: ["pgaudit"]
        )
        sharedDirectory.withLock { $0 = started.directory }
        atexit {
            if let directory = sharedDirectory.withLock({ $0 }) {
                ClusterScript.runAtExit(["destroy", "--dir", directory])
            }
        }
        return started
    }
}

/// The shared cluster's directory, for the `atexit` handler (a C function cannot capture it).
private let sharedDirectory = Mutex<String?>(nil)
