import Logging
import NIOSSL
import PostgresNIO
import WenwexConfig

/// A `SQLSession` over one PostgresNIO connection.
final class PostgresSession: SQLSession {
    let dialect = SQLDialect.postgres
    private let connection: PostgresConnection
    private let logger: Logger

    private init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    static func connect(
        to location: DatabaseURL.PostgresLocation,
        timeout: Duration,
        logger: Logger
    ) async throws -> PostgresSession {
        var configuration: PostgresConnection.Configuration
        if let socketDirectory = location.socketDirectory {
            configuration = .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(location.port)",
                username: location.username,
                password: location.password,
                database: location.database
            )
        } else {
            configuration = .init(
                host: location.host,
                port: location.port,
                username: location.username,
                password: location.password,
                database: location.database,
                tls: try tls(for: location.sslMode)
            )
        }
        let (seconds, attoseconds) = timeout.components
        configuration.options.connectTimeout = .milliseconds(seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        return PostgresSession(connection: connection, logger: logger)
    }

    /// libpq's `sslmode`: `require` encrypts without verifying the certificate, the `verify-*`
    /// modes verify it, `prefer` tries TLS first.
    private static func tls(for sslMode: String) throws -> PostgresConnection.Configuration.TLS {
        switch sslMode {
        case "disable", "allow":
            return .disable
        case "prefer":
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return .prefer(try NIOSSLContext(configuration: tls))
        case "require":
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return .require(try NIOSSLContext(configuration: tls))
        default:
            return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    func execute(_ sql: String, _ binds: [String?]) async throws {
        try await connection.query(try query(sql, binds), logger: logger)
    }

    func queryText(_ sql: String, _ binds: [String?]) async throws -> [[String?]] {
        var rows: [[String?]] = []
        for try await row in try await connection.query(try query(sql, binds), logger: logger) {
            rows.append(try row.map { try $0.decode(String?.self) })
        }
        return rows
    }

    func close() async throws {
        try await connection.close()
    }

    private func query(_ sql: String, _ binds: [String?]) throws -> PostgresQuery {
        var bindings = PostgresBindings()
        for bind in binds {
            if let bind { bindings.append(bind) } else { bindings.appendNull() }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }
}
