public import Foundation

/// A database location in the forms Prisma users already write.
///
/// - `postgresql://user:password@host:5432/database?schema=public&sslmode=require`
///   (`postgres://` too; `?host=/var/run/postgresql` for a Unix socket directory)
/// - `file:./dev.db` for SQLite, relative to the project directory (`file:/abs/path.db` absolute)
///
/// The password never appears in `description`; use `masked` or `description` for any output.
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    /// What a URL points at.
    public enum Kind: Sendable, Hashable {
        /// A PostgreSQL server, reached over TCP or a Unix socket.
        case postgres(PostgresLocation)
        /// A SQLite file by its standardized absolute path (a relative one is resolved against the base
        /// directory given to ``DatabaseURL/init(_:relativeTo:)``, else the current directory), or `:memory:`.
        case sqlite(path: String)
    }

    /// A `postgresql://` URL taken apart, with the defaults libpq and Prisma apply filled in.
    public struct PostgresLocation: Sendable, Hashable {
        /// The host name or IP address as written (IPv6 brackets removed); `localhost` when the URL gives
        /// only `?host=/socket/directory`.
        public var host: String
        /// 1–65535, from the authority or `?port=`, else 5432. With ``socketDirectory`` set it names the
        /// socket file (`.s.PGSQL.<port>`).
        public var port: Int
        /// Percent-decoded; `postgres` when the URL names no user.
        public var username: String
        /// Percent-decoded; `nil` when the URL has none. Never print it.
        public var password: String?
        /// Percent-decoded; the user name when the URL has no path, as libpq does.
        public var database: String
        /// The schema objects live in (`?schema=`), `public` by default, as in Prisma.
        public var schema: String
        /// `disable`, `prefer`, `require`, `verify-ca` or `verify-full`.
        public var sslMode: String
        /// A Unix socket directory from `?host=/path`, used instead of TCP when set.
        public var socketDirectory: String?
        /// Every query parameter as written, `schema`, `sslmode` and `host` included; a parameter without
        /// `=` has an empty value.
        public var parameters: [String: String]
    }

    /// The text as written (may contain a password: never print it).
    public let rawValue: String
    /// Where the URL points, parsed.
    public let kind: Kind

    /// Parses `text`, resolving relative SQLite paths against `baseDirectory`.
    public init(_ text: String, relativeTo baseDirectory: URL? = nil) throws(DatabaseURLError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        self.rawValue = trimmed
        if trimmed.hasPrefix("file:") || trimmed.hasPrefix("sqlite:") {
            self.kind = .sqlite(path: try Self.sqlitePath(trimmed, baseDirectory: baseDirectory))
        } else if trimmed.hasPrefix("postgresql://") || trimmed.hasPrefix("postgres://") {
            self.kind = .postgres(try Self.postgresLocation(trimmed))
        } else if trimmed.isEmpty {
            throw DatabaseURLError(reason: "it is empty")
        } else {
            let scheme = trimmed.split(separator: ":", maxSplits: 1).first.map(String.init) ?? trimmed
            throw DatabaseURLError(reason: "the scheme '\(scheme):' is not supported")
        }
    }

    /// The same server and credentials with another database name: how the migration engine
    /// reaches the temporary shadow database it creates beside a PostgreSQL database.
    /// `nil` for SQLite, which has no server.
    public func replacingDatabase(with name: String) -> DatabaseURL? {
        guard case .postgres = kind, var components = URLComponents(string: rawValue) else { return nil }
        components.percentEncodedPath =
            "/" + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name)
        guard let text = components.string else { return nil }
        return try? DatabaseURL(text)
    }

    /// The URL with its password masked, safe for any output.
    public var masked: String {
        SecretMasker.maskingCredentials(in: rawValue)
    }

    /// The URL with its password masked (``masked``), so string interpolation never leaks it.
    public var description: String { masked }

    /// A short label for messages, without credentials: `PostgreSQL database 'app' on db.example.com:5432`
    /// (the socket directory instead of the host for a socket URL) or `SQLite database /path/to/dev.db`.
    public var label: String {
        switch kind {
        case .postgres(let location):
            "PostgreSQL database '\(location.database)' on \(location.socketDirectory ?? location.host):\(location.port)"
        case .sqlite(let path):
            "SQLite database \(path)"
        }
    }

    /// The network host, for fingerprint checks; `nil` for SQLite.
    public var host: String? {
        if case .postgres(let location) = kind { location.host } else { nil }
    }

    private static func sqlitePath(_ text: String, baseDirectory: URL?) throws(DatabaseURLError) -> String {
        var path = String(text.drop(while: { $0 != ":" }).dropFirst())
        if path.hasPrefix("//") { path.removeFirst(2) }  // file:///abs/path
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        guard !path.isEmpty else {
            throw DatabaseURLError(reason: "it names no file; write file:./dev.db")
        }
        if path == ":memory:" { return path }
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        let base = baseDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return base.appendingPathComponent(path).standardizedFileURL.path
    }

    private static func postgresLocation(_ text: String) throws(DatabaseURLError) -> PostgresLocation {
        guard let components = URLComponents(string: text) else {
            throw DatabaseURLError(
                reason: "it is not a valid URL; percent-encode special characters in the password (@ as %40, / as %2F)"
            )
        }
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] {
            parameters[item.name] = item.value ?? ""
        }
        let socketDirectory = parameters["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        let host = components.host.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) } ?? ""
        guard !host.isEmpty || socketDirectory != nil else {
            throw DatabaseURLError(reason: "it has no host; write postgresql://user:password@host:5432/database")
        }
        let port: Int
        if let explicit = components.port {
            guard (1...65_535).contains(explicit) else {
                throw DatabaseURLError(reason: "port \(explicit) is out of range")
            }
            port = explicit
        } else if let portText = parameters["port"] {
            guard let parsed = Int(portText), (1...65_535).contains(parsed) else {
                throw DatabaseURLError(reason: "port '\(portText)' is not a port number")
            }
            port = parsed
        } else {
            port = 5432
        }
        let username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        var database = String(components.percentEncodedPath.drop(while: { $0 == "/" }))
        database = database.removingPercentEncoding ?? database
        let sslMode = parameters["sslmode"] ?? "prefer"
        let knownModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]
        guard knownModes.contains(sslMode) else {
            throw DatabaseURLError(reason: "sslmode '\(sslMode)' is not one of \(knownModes.joined(separator: ", "))")
        }
        return PostgresLocation(
            host: host.isEmpty ? "localhost" : host,
            port: port,
            username: username,
            password: password,
            database: database.isEmpty ? username : database,
            schema: parameters["schema"].flatMap { $0.isEmpty ? nil : $0 } ?? "public",
            sslMode: sslMode,
            socketDirectory: socketDirectory,
            parameters: parameters
        )
    }
}

/// Why a database URL was rejected.
public struct DatabaseURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why, phrased to follow "is not a database URL:" (`it has no host; write postgresql://…`); never
    /// contains the password.
    public var reason: String
    /// ``reason`` alone.
    public var description: String { reason }
}
