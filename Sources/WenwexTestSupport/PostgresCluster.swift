import Foundation
import Synchronization

/// One PostgreSQL server of a ``PostgresCluster``: the primary or a streaming replica.
///
/// A node keeps its port for its whole life (``PostgresCluster/start(_:)`` restarts it on the
/// same port), so a URL taken before a restart stays valid after it.
public struct PostgresNode: Sendable, Hashable, CustomStringConvertible {
    /// `primary`, or `replicaK` (K counts from 1 and is never reused within a cluster).
    public let name: String
    /// The loopback TCP port the server listens on (host is always 127.0.0.1).
    public let port: Int

    public init(name: String, port: Int) {
        self.name = name
        self.port = port
    }

    /// Whether this is the primary (the only node that accepts writes).
    public var isPrimary: Bool { name == "primary" }

    /// `postgresql://postgres@127.0.0.1:PORT/postgres`: superuser, trust authentication.
    public var url: String { url(database: "postgres") }

    /// The URL of `database` on this node (percent-encoded, so any database name works).
    public func url(database: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let path = database.addingPercentEncoding(withAllowedCharacters: allowed) ?? database
        return "postgresql://postgres@127.0.0.1:\(port)/\(path)"
    }

    public var description: String { "\(name)@\(port)" }
}

/// How ``PostgresCluster/stop(_:mode:)`` shuts a node down (`pg_ctl stop -m`).
public enum PostgresStopMode: String, Sendable {
    /// Clean shutdown: disconnects clients, writes a checkpoint.
    case fast
    /// A crash, as far as the server can tell: no checkpoint, recovery on the next start.
    case immediate
}

/// A throwaway PostgreSQL primary with streaming replicas, for tests and benchmarks.
///
/// A typed front for `scripts/pg-cluster`, which holds the only implementation (so scripts,
/// benchmarks and tests start clusters the same way). Every method runs the script in a child
/// process on a dedicated thread, so a slow start never blocks Swift's cooperative thread pool.
///
/// A cluster outlives the objects that refer to it: call ``destroy()`` (or use
/// ``withCluster(replicas:settings:isolation:_:)``). If the test process dies first, a watchdog
/// started by the script removes the cluster within a few seconds. Most tests should not start a
/// cluster of their own: ``SharedPostgres`` gives each test a fresh database on one shared
/// cluster. Start a private one when a test stops nodes, adds replicas or changes settings.
public final class PostgresCluster: Sendable {
    /// The cluster directory: data directories, `*.log` server logs and `cluster.env`.
    public let directory: String
    /// The primary. Its port never changes, also across ``stop(_:mode:)`` and ``start(_:)``.
    public let primary: PostgresNode
    private let replicaList: Mutex<[PostgresNode]>
    /// The server modules `start(preloadIfInstalled:)` found installed and preloaded.
    public let preloadedLibraries: [String]

    private init(directory: String, primary: PostgresNode, replicas: [PostgresNode], preloaded: [String] = []) {
        self.preloadedLibraries = preloaded
        self.directory = directory
        self.primary = primary
        self.replicaList = Mutex(replicas)
    }

    /// The replicas in creation order (`replica1`, `replica2`, …), including stopped ones.
    public var replicas: [PostgresNode] { replicaList.withLock { $0 } }

    /// Starts a primary and `replicas` streaming replicas on free loopback ports in a new
    /// `/tmp/wwpg.*` directory (about one second, plus half a second per replica).
    ///
    /// - Parameter settings: extra `postgresql.conf` lines (`["synchronous_commit": "off"]`),
    ///   applied to the primary and copied to every replica.
    public static func start(
        replicas: Int = 0,
        settings: [String: String] = [:],
        preloadIfInstalled: [String] = []
    ) async throws -> PostgresCluster {
        var arguments = ["start", "--replicas", String(replicas), "--watch-pid", String(getpid())]
        for library in preloadIfInstalled { arguments += ["--preload-if-installed", library] }
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            arguments += ["--conf", "\(key)=\(value)"]
        }
        let output = try await ClusterScript.run(arguments)
        let values = ClusterScript.keyValues(output)
        guard let directory = values["DIR"], let primaryPort = values["PRIMARY_PORT"].flatMap(Int.init)
        else {
            throw PostgresClusterError(arguments: arguments, reason: "unexpected output: \(output)")
        }
        var replicaNodes: [PostgresNode] = []
        while let port = values["REPLICA\(replicaNodes.count + 1)_PORT"].flatMap(Int.init) {
            replicaNodes.append(PostgresNode(name: "replica\(replicaNodes.count + 1)", port: port))
        }
        return PostgresCluster(
            directory: directory,
            primary: PostgresNode(name: "primary", port: primaryPort),
            replicas: replicaNodes,
            preloaded: (values["PRELOADED"] ?? "").split(separator: ",").map(String.init)
        )
    }

    /// Starts a cluster, runs `body` with it and destroys it afterwards, also when `body` throws.
    public static func withCluster<T>(
        replicas: Int = 0,
        settings: [String: String] = [:],
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresCluster) async throws -> T
    ) async throws -> T {
        let cluster = try await start(replicas: replicas, settings: settings)
        do {
            let result = try await body(cluster)
            try await cluster.destroy()
            return result
        } catch {
            try? await cluster.destroy()
            throw error
        }
    }

    /// Adds a streaming replica (`pg_basebackup` from the primary, with its own replication
    /// slot so it catches up after being stopped) and starts it.
    @discardableResult
    public func addReplica() async throws -> PostgresNode {
        let arguments = ["add-replica", "--dir", directory]
        let values = ClusterScript.keyValues(try await ClusterScript.run(arguments))
        guard let name = values["REPLICA_NAME"], let port = values["REPLICA_PORT"].flatMap(Int.init) else {
            throw PostgresClusterError(arguments: arguments, reason: "no REPLICA_NAME/REPLICA_PORT in output")
        }
        let node = PostgresNode(name: name, port: port)
        replicaList.withLock { $0.append(node) }
        return node
    }

    /// Creates database `name` on the primary (replicas receive it through replication) and
    /// returns its URL on the primary; `replica.url(database: name)` reaches it on a replica.
    @discardableResult
    public func createDatabase(_ name: String) async throws -> String {
        _ = try await ClusterScript.run(["create-db", "--dir", directory, name])
        return primary.url(database: name)
    }

    /// Stops `node`. Stopping a stopped node does nothing.
    public func stop(_ node: PostgresNode, mode: PostgresStopMode = .fast) async throws {
        _ = try await ClusterScript.run(["stop-node", "--dir", directory, "--node", node.name, "--mode", mode.rawValue])
    }

    /// Starts a stopped `node` again on its port and waits until it accepts connections.
    public func start(_ node: PostgresNode) async throws {
        _ = try await ClusterScript.run(["start-node", "--dir", directory, "--node", node.name])
    }

    /// Stalls `node` without stopping it: its postmaster and every backend get `SIGSTOP`, so
    /// connections stay open and nothing answers, as with a server frozen by load or a hung
    /// disk. ``resume(_:)`` lets it go on where it stopped.
    public func pause(_ node: PostgresNode) async throws {
        _ = try await ClusterScript.run(["pause-node", "--dir", directory, "--node", node.name])
    }

    /// Lets a node stalled by ``pause(_:)`` go on (`SIGCONT`).
    public func resume(_ node: PostgresNode) async throws {
        _ = try await ClusterScript.run(["resume-node", "--dir", directory, "--node", node.name])
    }

    /// Waits until every running replica has replayed everything written on the primary so far,
    /// so a read on any replica sees the writes that committed before this call.
    public func waitForReplay(timeout: Duration = .seconds(10)) async throws {
        let (seconds, attoseconds) = timeout.components
        let value = String(format: "%.3f", Double(seconds) + Double(attoseconds) / 1e18)
        _ = try await ClusterScript.run(["wait-replay", "--dir", directory, "--timeout", value])
    }

    /// Runs `sql` with `psql -Atq -v ON_ERROR_STOP=1 -c` on `node` (default: the primary) and
    /// returns its trimmed output: unaligned, tuples only, `|` between columns, one row a line.
    /// Meant for test setup and inspection, not for the code under test.
    @discardableResult
    public func psql(_ sql: String, on node: PostgresNode? = nil, database: String = "postgres")
        async throws -> String
    {
        let name = (node ?? primary).name
        let output = try await ClusterScript.run([
            "psql", "--dir", directory, "--node", name, "--",
            "-Atq", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql,
        ])
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops every node and removes ``directory``. Safe to call more than once.
    public func destroy() async throws {
        _ = try await ClusterScript.run(["destroy", "--dir", directory])
    }
}

/// A failed `scripts/pg-cluster` run, with what a test report needs to say why.
public struct PostgresClusterError: Error, CustomStringConvertible {
    /// The script's arguments, such as `["start", "--replicas", "2", …]`.
    public let arguments: [String]
    /// The exit status: 1 failure, 2 usage, 3 PostgreSQL not installed; -1 when it did not run.
    public let exitStatus: Int32
    /// The last lines the script wrote on stderr (PostgreSQL's messages, log tails).
    public let stderrTail: String
    /// What went wrong, when not told by the exit status alone.
    public let reason: String

    init(arguments: [String], exitStatus: Int32 = -1, stderrTail: String = "", reason: String = "") {
        self.arguments = arguments
        self.exitStatus = exitStatus
        self.stderrTail = stderrTail
        self.reason = reason
    }

    public var description: String {
        let command = arguments.map { $0.contains(where: { " '\"*\n".contains($0) }) ? "'\($0)'" : $0 }
        var text = "pg-cluster \(command.joined(separator: " ")) failed"
        if exitStatus >= 0 { text += " (exit status \(exitStatus))" }
        if !reason.isEmpty { text += ": \(reason)" }
        if !stderrTail.isEmpty { text += "\n" + stderrTail }
        return text
    }
}
