public import Foundation
public import WenwexConfig

/// `pg_dump` and `pg_restore` of a major version that can read the server: the same major as the
/// server, or newer (an older `pg_dump` refuses a newer server, and an old `pg_restore` cannot
/// read a newer dump's format).
public struct PostgresClientTools: Sendable {
    /// The full path of `pg_dump`.
    public let pgDump: String
    /// The full path of `pg_restore`, from the same directory as ``pgDump``.
    public let pgRestore: String
    /// The tools' major version (`15`).
    public let majorVersion: Int
    /// `pg_dump --version`'s line, for the manifest.
    public let versionText: String

    /// No usable tools: missing, or older than the server.
    public struct Unusable: Error, Sendable, CustomStringConvertible {
        /// The server's major version, which the tools must match or exceed.
        public var serverMajor: Int
        /// Tools found but too old, as `path (major)`.
        public var found: [String]

        /// What is needed and what was found.
        public var description: String {
            let seen = found.isEmpty ? "none was found" : "found only: " + found.joined(separator: ", ")
            return
                "backing up a PostgreSQL \(serverMajor) server needs pg_dump and pg_restore of version \(serverMajor) or newer; \(seen)"
        }

        /// How to install the right version, or point `PG_BIN` at it.
        public var fix: String {
            "install them (Debian/Ubuntu: apt-get install postgresql-client-\(serverMajor); macOS: brew install postgresql@\(serverMajor)) or set PG_BIN to the directory holding them"
        }
    }

    /// The best pair for a server of major version `serverMajor`: `PG_BIN` when set, then
    /// Debian's `/usr/lib/postgresql/<major>/bin` (the server's own major first, then newer
    /// ones), then `PATH`.
    public static func locate(
        serverMajor: Int,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(Unusable) -> PostgresClientTools {
        var directories: [String] = []
        if let configured = environment["PG_BIN"], !configured.isEmpty { directories.append(configured) }
        let debian = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let majors = debian.compactMap(Int.init).filter { $0 >= serverMajor }.sorted()
        directories += majors.map { "/usr/lib/postgresql/\($0)/bin" }
        directories += (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        directories += ["/opt/homebrew/bin", "/usr/local/bin"]

        var found: [String] = []
        for directory in directories {
            let dump = directory + "/pg_dump"
            let restore = directory + "/pg_restore"
            guard FileManager.default.isExecutableFile(atPath: dump),
                FileManager.default.isExecutableFile(atPath: restore),
                let version = versionLine(of: dump), let major = majorVersion(in: version)
            else { continue }
            guard major >= serverMajor else {
                found.append("\(dump) (\(major))")
                continue
            }
            return PostgresClientTools(pgDump: dump, pgRestore: restore, majorVersion: major, versionText: version)
        }
        throw Unusable(serverMajor: serverMajor, found: found)
    }

    /// `pg_dump (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)` → 15; `… 9.6.24` → 9; `… 17beta1` → 17.
    static func majorVersion(in line: String) -> Int? {
        guard let number = line.split(separator: " ").first(where: { $0.first?.isNumber == true }) else { return nil }
        return Int(number.prefix(while: \.isNumber))
    }

    private static func versionLine(of program: String) -> String? {
        PipeReading.output(of: program, ["--version"])?.text
    }

    /// The libpq variables that point a tool at `location`: the password travels in the
    /// environment, never on a command line that `ps` shows.
    static func connectionEnvironment(_ location: DatabaseURL.PostgresLocation) -> [String: String] {
        var environment = [
            "PGHOST": location.socketDirectory ?? location.host,
            "PGPORT": String(location.port),
            "PGUSER": location.username,
            "PGDATABASE": location.database,
            "PGSSLMODE": location.sslMode,
            "PGAPPNAME": "wenwex-backup",
            "PGCONNECT_TIMEOUT": "10",
        ]
        environment["PGPASSWORD"] = location.password
        return environment
    }
}
