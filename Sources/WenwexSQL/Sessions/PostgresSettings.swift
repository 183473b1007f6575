import NIOSSL
public import PostgresNIO
public import WenwexConfig

/// PostgresNIO configurations built from a `DatabaseURL`, shared by single connections and the
/// router's pools so both honour the URL's host, socket, credentials and `sslmode` alike.
public enum PostgresSettings {
    /// A single connection's configuration.
    public static func connection(
        _ location: DatabaseURL.PostgresLocation,
        connectTimeout: Duration
    ) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketDirectory = location.socketDirectory {
            configuration = .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(location.port)",
                username: location.username,
                password: location.password,
                database: location.database
            )
        } else {
            let tls: PostgresConnection.Configuration.TLS =
                switch try tlsConfiguration(location.sslMode) {
                case .none: .disable
                case .prefer(let tls): .prefer(try NIOSSLContext(configuration: tls))
                case .require(let tls): .require(try NIOSSLContext(configuration: tls))
                }
            configuration = .init(
                host: location.host,
                port: location.port,
                username: location.username,
                password: location.password,
                database: location.database,
                tls: tls
            )
        }
        configuration.options.connectTimeout = .milliseconds(connectTimeout.milliseconds)
        return configuration
    }

    /// A pool's configuration with `maximumConnections` connections.
    public static func client(
        _ location: DatabaseURL.PostgresLocation,
        connectTimeout: Duration,
        maximumConnections: Int
    ) throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketDirectory = location.socketDirectory {
            configuration = .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(location.port)",
                username: location.username,
                password: location.password,
                database: location.database
            )
        } else {
            let tls: PostgresClient.Configuration.TLS =
                switch try tlsConfiguration(location.sslMode) {
                case .none: .disable
                case .prefer(let tls): .prefer(tls)
                case .require(let tls): .require(tls)
                }
            configuration = .init(
                host: location.host,
                port: location.port,
                username: location.username,
                password: location.password,
                database: location.database,
                tls: tls
            )
        }
        configuration.options.connectTimeout = connectTimeout
        configuration.options.maximumConnections = maximumConnections
        return configuration
    }

    private enum TLSChoice {
        case none
        case prefer(TLSConfiguration)
        case require(TLSConfiguration)
    }

    /// libpq's `sslmode`: `require` encrypts without verifying the certificate, the `verify-*`
    /// modes verify it, `prefer` tries TLS first.
    private static func tlsConfiguration(_ sslMode: String) throws -> TLSChoice {
        var unverified = TLSConfiguration.makeClientConfiguration()
        unverified.certificateVerification = .none
        switch sslMode {
        case "disable", "allow": return .none
        case "prefer": return .prefer(unverified)
        case "require": return .require(unverified)
        default: return .require(.makeClientConfiguration())
        }
    }
}

extension Duration {
    /// Whole milliseconds, for APIs that take NIO's `TimeAmount`.
    var milliseconds: Int64 {
        components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000
    }
}
