public import Foundation
import WenwexConfig

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

    /// Runs `argv` with standard input `/dev/null` and both outputs appended to `output`.
    ///
    /// ``SpawnedChild`` closes every other descriptor in the child: `pg_ctl start` leaves the
    /// postmaster holding what it was given, so an inherited pipe or socket of ours would stay
    /// open as long as the server runs.
    static func spawnAndWait(_ argv: [String], output: URL) async throws -> Int32 {
        let child = try SpawnedChild(
            argv[0],
            Array(argv.dropFirst()),
            input: .null,
            output: .file(output.path),
            error: .other
        )
        return await child.exit().status
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
