public import Foundation
import WenwexConfig
import WenwexSQL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A PostgreSQL primary and its streaming replicas for one project's dev environment, kept
/// under `.wenwex/postgres` and managed by `wenwex dev`: what `supabase start` is to Supabase
/// users, without containers.
///
/// The data survives `down` and `up`; each node keeps its loopback port across restarts (a new
/// one is chosen only when another program took it). Replicas are real streaming replicas made
/// with `pg_basebackup -R`, so read/write splitting behaves in dev as in production.
public struct LocalPostgres: Sendable {
    /// One server of the cluster.
    public struct Node: Codable, Sendable, Equatable {
        public var name: String
        public var port: Int
    }

    /// What `state.json` records.
    public struct State: Codable, Sendable, Equatable {
        public var database: String
        public var primary: Node
        public var replicas: [Node]
    }

    /// One node as `wenwex dev status` shows it.
    public struct NodeStatus: Sendable, Equatable {
        public var node: Node
        public var isPrimary: Bool
        public var isRunning: Bool
        /// How far a replica's replay is behind the primary's WAL, when both answer.
        public var lagBytes: Int?
        public var url: String
    }

    public let directory: URL
    public let tools: PostgresServerTools

    public init(directory: URL, tools: PostgresServerTools) {
        self.directory = directory
        self.tools = tools
    }

    var stateFile: URL { directory.appendingPathComponent("state.json") }

    /// The recorded cluster; `nil` before the first `up`.
    public func state() -> State? {
        guard let data = FileManager.default.contents(atPath: stateFile.path) else { return nil }
        return try? JSONDecoder().decode(State.self, from: data)
    }

    public func url(_ node: Node, database: String) -> String {
        "postgresql://postgres@127.0.0.1:\(node.port)/\(database)"
    }

    /// Creates what is missing (the primary, the database, replicas up to `replicas`) and starts
    /// every node that is stopped. `progress` hears each step.
    public func up(replicas wanted: Int, database: String, progress: (String) -> Void) async throws -> State {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try PostgresServerTools.giveToPostgres(directory)
        var state = state() ?? State(database: database, primary: Node(name: "primary", port: 0), replicas: [])
        let primaryDirectory = directory.appendingPathComponent("primary")
        if !FileManager.default.fileExists(atPath: primaryDirectory.appendingPathComponent("PG_VERSION").path) {
            progress("Creating the dev PostgreSQL primary in \(primaryDirectory.path)")
            try await tools.run(
                "initdb",
                ["-D", primaryDirectory.path, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"],
                log: directory.appendingPathComponent("initdb.log")
            )
            try appendConfiguration(
                primaryDirectory,
                [
                    "listen_addresses = '127.0.0.1'", "unix_socket_directories = ''", "wal_level = replica",
                    "max_wal_senders = 10", "hot_standby = on", "cluster_name = 'primary'",
                ]
            )
            state.primary.port = 0
        }
        state.primary = try await start(state.primary, progress: progress)
        try save(state)
        try await ensureDatabase(state.database, port: state.primary.port)
        while state.replicas.count < wanted {
            let name = "replica\(state.replicas.count + 1)"
            let replicaDirectory = directory.appendingPathComponent(name)
            progress("Creating streaming replica \(name) with pg_basebackup")
            try? FileManager.default.removeItem(at: replicaDirectory)
            try await tools.run(
                "pg_basebackup",
                [
                    "-h", "127.0.0.1", "-p", String(state.primary.port), "-U", "postgres", "-D", replicaDirectory.path,
                    "-R", "-X", "stream", "-c", "fast", "--no-sync",
                ],
                log: directory.appendingPathComponent("\(name)-basebackup.log")
            )
            try appendConfiguration(replicaDirectory, ["cluster_name = '\(name)'"])
            state.replicas.append(Node(name: name, port: 0))
            try save(state)
        }
        for index in state.replicas.indices {
            try followPrimary(state.replicas[index], port: state.primary.port)
            state.replicas[index] = try await start(state.replicas[index], progress: progress)
            try save(state)
        }
        return state
    }

    /// Stops every running node (replicas first); the data stays. Returns the nodes stopped.
    public func down(progress: (String) -> Void) async throws -> [String] {
        guard let state = state() else { return [] }
        var stopped: [String] = []
        for node in state.replicas.reversed() + [state.primary] where isRunning(node) {
            progress("Stopping \(node.name)")
            try await tools.run(
                "pg_ctl",
                ["-D", directory.appendingPathComponent(node.name).path, "-m", "fast", "-w", "-t", "60", "stop"],
                log: directory.appendingPathComponent("\(node.name)-ctl.log")
            )
            stopped.append(node.name)
        }
        return stopped
    }

    /// Every node, running or not, with each running replica's lag behind the primary.
    public func status() async -> [NodeStatus] {
        guard let state = state() else { return [] }
        var primaryPosition: String?
        if isRunning(state.primary) {
            primaryPosition = try? await scalar(
                "SELECT pg_current_wal_lsn()::text",
                port: state.primary.port,
                database: state.database
            )
        }
        var result = [
            NodeStatus(
                node: state.primary,
                isPrimary: true,
                isRunning: isRunning(state.primary),
                lagBytes: nil,
                url: url(state.primary, database: state.database)
            )
        ]
        for replica in state.replicas {
            let running = isRunning(replica)
            var lag: Int?
            if running, let primaryPosition {
                lag = try? await scalar(
                    "SELECT pg_wal_lsn_diff('\(primaryPosition)'::pg_lsn, pg_last_wal_replay_lsn())::bigint::text",
                    port: replica.port,
                    database: state.database
                ).flatMap { Int($0) }.map { max($0, 0) }
            }
            result.append(
                NodeStatus(
                    node: replica,
                    isPrimary: false,
                    isRunning: running,
                    lagBytes: lag,
                    url: url(replica, database: state.database)
                )
            )
        }
        return result
    }

    /// Stops the nodes and deletes the cluster's directory: dev data is safe to wipe.
    public func wipe(progress: (String) -> Void) async throws {
        _ = try await down(progress: progress)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts `node` when it is stopped, on its port, or a new free one when that is taken.
    func start(_ node: Node, progress: (String) -> Void) async throws -> Node {
        var node = node
        guard !isRunning(node) else { return node }
        if node.port == 0 || !Self.isFree(port: node.port) {
            node.port = try Self.freePort()
            try appendConfiguration(directory.appendingPathComponent(node.name), ["port = \(node.port)"])
        }
        progress("Starting \(node.name) on 127.0.0.1:\(node.port)")
        let log = directory.appendingPathComponent("\(node.name).log")
        try await tools.run(
            "pg_ctl",
            ["-D", directory.appendingPathComponent(node.name).path, "-l", log.path, "-w", "-t", "60", "start"],
            log: directory.appendingPathComponent("\(node.name)-ctl.log")
        )
        return node
    }

    /// Whether the node's postmaster (named in `postmaster.pid`) is alive.
    public func isRunning(_ node: Node) -> Bool {
        let pidFile = directory.appendingPathComponent(node.name).appendingPathComponent("postmaster.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
            let pid = text.split(separator: "\n").first.flatMap({ Int32($0.trimmingCharacters(in: .whitespaces)) })
        else { return false }
        return kill(pid, 0) == 0
    }

    /// Points a replica's `primary_conninfo` (written by `pg_basebackup -R` into
    /// `postgresql.auto.conf`) at the primary's current port, which changes when another
    /// program took the old one.
    func followPrimary(_ replica: Node, port: Int) throws {
        let file = directory.appendingPathComponent(replica.name).appendingPathComponent("postgresql.auto.conf")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return }
        let updated = text.replacing(/port=\d+/, with: "port=\(port)")
        if updated != text { try updated.write(to: file, atomically: false, encoding: .utf8) }
    }

    func appendConfiguration(_ dataDirectory: URL, _ lines: [String]) throws {
        let file = dataDirectory.appendingPathComponent("postgresql.conf")
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(("\n# wenwex dev\n" + lines.joined(separator: "\n") + "\n").utf8))
    }

    func save(_ state: State) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(state).write(to: stateFile, options: .atomic)
    }

    func ensureDatabase(_ name: String, port: Int) async throws {
        let url = try DatabaseURL("postgresql://postgres@127.0.0.1:\(port)/postgres")
        try await DatabaseConnector.withSession(url) { session in
            let exists = try await !session.query("SELECT 1 FROM pg_database WHERE datname = \(name)").isEmpty
            if !exists { try await session.execute("CREATE DATABASE \(identifier: name)") }
        }
    }

    func scalar(_ sql: String, port: Int, database: String) async throws -> String? {
        let url = try DatabaseURL("postgresql://postgres@127.0.0.1:\(port)/\(database)")
        return try await DatabaseConnector.withSession(url, timeout: .seconds(3)) { session in
            try await session.queryText(sql, []).first?.first ?? nil
        }
    }

    /// The database name for a project: its name in lowercase letters, digits and `_`, plus
    /// `_dev`.
    public static func databaseName(forProject name: String) -> String {
        let cleaned = String(name.lowercased().map { $0.isLetter && $0.isASCII || $0.isNumber ? $0 : "_" })
        let trimmed = cleaned.trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        return String((trimmed.isEmpty ? "app" : trimmed).prefix(50)) + "_dev"
    }

    static func isFree(port: Int) -> Bool {
        (try? bindLoopback(port: port)) != nil
    }

    /// A port the kernel says is free on 127.0.0.1 now.
    static func freePort() throws -> Int {
        try bindLoopback(port: 0)
    }

    /// Binds a TCP socket to `127.0.0.1:port`, closes it, and returns the port it got.
    static func bindLoopback(port: Int) throws -> Int {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(descriptor) }
        // As PostgreSQL binds: a port whose old connections linger in TIME_WAIT is free to it.
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
