public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// PostgreSQL's server programs (`initdb`, `pg_ctl`, `pg_basebackup`) on this machine, run the
/// way PostgreSQL allows: as the `postgres` user when Wenwex runs as root.
public struct PostgresServerTools: Sendable {
    /// The directory holding `initdb` and `pg_ctl`.
    public let binDirectory: URL

    public struct Missing: Error, Sendable, CustomStringConvertible {
        public var description: String {
            "PostgreSQL's server programs (initdb, pg_ctl) are not installed"
        }

        /// Which package provides them; Wenwex installs nothing by itself.
        public var fix: String {
            "install them, then run the command again: on Debian or Ubuntu `sudo apt-get install postgresql`, on macOS `brew install postgresql@16`; or set PG_BIN to the directory holding initdb"
        }
    }

    public struct ToolFailure: Error, Sendable, CustomStringConvertible {
        public var tool: String
        public var status: Int32
        public var log: URL
        public var lastLines: String

        public var description: String {
            "\(tool) failed with status \(status); its output is in \(log.path):\n\(lastLines)"
        }
    }

    /// `PG_BIN`, else `pg_config --bindir`, else `initdb` on `PATH`, else the newest
    /// `/usr/lib/postgresql/*/bin` (where Debian puts them, off `PATH`).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws(Missing)
        -> PostgresServerTools
    {
        let manager = FileManager.default
        // A directory counts when it has every program `wenwex dev` runs; a lone `initdb` on
        // PATH (a symlink) counts through the directory it points into.
        func hasInitdb(_ path: String) -> Bool {
            ["initdb", "pg_ctl", "pg_basebackup"].allSatisfy { manager.isExecutableFile(atPath: path + "/" + $0) }
        }
        if let configured = environment["PG_BIN"], hasInitdb(configured) {
            return PostgresServerTools(binDirectory: URL(fileURLWithPath: configured))
        }
        for directory in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) {
            let initdb = URL(fileURLWithPath: directory + "/initdb")
            guard manager.isExecutableFile(atPath: initdb.path) else { continue }
            let real = initdb.resolvingSymlinksInPath().deletingLastPathComponent()
            if hasInitdb(real.path) { return PostgresServerTools(binDirectory: real) }
        }
        let debian = (try? manager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let versions = debian.compactMap { Int($0) }.sorted(by: >)
        for version in versions where hasInitdb("/usr/lib/postgresql/\(version)/bin") {
            return PostgresServerTools(binDirectory: URL(fileURLWithPath: "/usr/lib/postgresql/\(version)/bin"))
        }
        for prefix in ["/opt/homebrew/bin", "/usr/local/bin", "/usr/local/pgsql/bin"] where hasInitdb(prefix) {
            return PostgresServerTools(binDirectory: URL(fileURLWithPath: prefix))
        }
        throw Missing()
    }

    /// PostgreSQL refuses to run as root; its programs then run as `postgres` through `runuser`.
    public static var runsAsPostgresUser: Bool { geteuid() == 0 }

    /// Runs `tool` to completion with its output in `log`; throws with the log's tail when it
    /// fails.
    public func run(_ tool: String, _ arguments: [String], log: URL) async throws {
        FileManager.default.createFile(atPath: log.path, contents: nil)
        if Self.runsAsPostgresUser { try? Self.giveToPostgres(log) }
        let program = binDirectory.appendingPathComponent(tool).path
        let argv =
            Self.runsAsPostgresUser
            ? ["/usr/sbin/runuser", "-u", "postgres", "--", program] + arguments : [program] + arguments
        let status = try await Self.spawnAndWait(argv, output: log)
        guard status == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            let tail = text.split(separator: "\n").suffix(8).joined(separator: "\n")
            throw ToolFailure(tool: tool, status: status, log: log, lastLines: tail)
        }
    }

    /// `posix_spawn` with only standard input (`/dev/null`), output and error (`output`) open in
    /// the child, then `waitpid` on a thread of its own.
    ///
    /// Not Foundation's `Process`: it watches a socket the child inherits, and `pg_ctl start`
    /// leaves the postmaster holding every descriptor it was given, so the wait would last as
    /// long as the server. Closing everything above 2 in the child keeps the server from
    /// holding any of ours (a pipe, a socket) open.
    static func spawnAndWait(_ argv: [String], output: URL) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var actions = posix_spawn_file_actions_t()
                posix_spawn_file_actions_init(&actions)
                defer { posix_spawn_file_actions_destroy(&actions) }
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_APPEND, 0o644)
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
                let open =
                    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap {
                        Int32($0)
                    } ?? []
                for descriptor in open where descriptor > 2 {
                    posix_spawn_file_actions_addclose(&actions, descriptor)
                }
                var pid: pid_t = 0
                let cArguments = argv.map { strdup($0) } + [nil]
                defer { cArguments.forEach { free($0) } }
                let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
                guard spawned == 0 else {
                    continuation.resume(throwing: POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOENT))
                    return
                }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                // WIFEXITED / WEXITSTATUS, spelled out: Swift does not import the macros.
                let exited = (status & 0x7f) == 0
                continuation.resume(returning: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f))
            }
        }
    }

    /// Makes `url` the `postgres` user's, so the server can write where Wenwex (as root) made
    /// the directory.
    public static func giveToPostgres(_ url: URL) throws {
        guard runsAsPostgresUser, let user = getpwnam("postgres") else { return }
        if chown(url.path, user.pointee.pw_uid, user.pointee.pw_gid) != 0 {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPERM)
        }
    }
}
