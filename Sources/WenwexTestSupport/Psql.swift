public import Foundation

/// PostgreSQL's own client, `psql`, as a person would run it with the credentials Wenwex
/// handed out: the access tests check that the database itself (not Wenwex) refuses what a
/// role must not do.
public struct Psql: Sendable {
    /// The database URL without its user (`postgresql://127.0.0.1:PORT/DB`), host and port
    /// taken from a ``SharedPostgres`` URL.
    public var host: String
    public var port: Int
    public var database: String

    /// Reads host, port and database from a `postgresql://user@host:port/db?…` URL.
    public init(url: String) {
        let components = URLComponents(string: url)
        host = components?.host ?? "127.0.0.1"
        port = components?.port ?? 5432
        database = String((components?.path ?? "/postgres").dropFirst())
    }

    /// The `psql` beside the test cluster's server, else the one on `PATH`.
    public static let executable: String = {
        let debianRoot = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: debianRoot)) ?? [])
            .compactMap(Int.init).sorted()
        if let newest = versions.last, FileManager.default.isExecutableFile(atPath: "\(debianRoot)/\(newest)/bin/psql")
        {
            return "\(debianRoot)/\(newest)/bin/psql"
        }
        return "/usr/bin/env"
    }()

    /// Runs `sql` as `user` with `password` (never prompting), stopping at the first error.
    public func run(_ sql: String, user: String, password: String?) async throws -> ChildProcess.Outcome {
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = password
        environment["PGCONNECT_TIMEOUT"] = "10"
        var arguments = Self.executable.hasSuffix("/env") ? ["psql"] : []
        arguments += [
            "-X", "-w", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", String(port), "-U", user, "-d",
            database, "-c", sql,
        ]
        return try await ChildProcess.run(Self.executable, arguments, environment: environment)
    }
}
