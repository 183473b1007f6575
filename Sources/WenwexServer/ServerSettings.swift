import Crypto
public import Foundation
public import WenwexConfig

/// What the marketplace server reads from the environment's configuration, once, at start-up.
///
/// Every value has a default so any Wenwex project can run the server; the marketplace's
/// `wenwex.toml` declares the variables with their types and `required_in` rules, so staging and
/// prod refuse to start without a real `JWT_SECRET`.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Signs session tokens. In dev, when unset, a random secret is made per process: sessions
    /// then end with the process, which is what a throwaway dev server wants.
    public var jwtSecret: String
    public var sessionLifetime: Duration
    public var bcryptCost: Int
    public var maxUploadBytes: Int
    public var maxJSONBytes: Int
    public var storageDirectory: URL
    public var signupsOpen: Bool
    public var schemaURL: URL
    public var migrationsURL: URL

    public init(
        host: String,
        port: Int,
        jwtSecret: String,
        sessionLifetime: Duration = .seconds(12 * 3600),
        bcryptCost: Int = 12,
        maxUploadBytes: Int = 10 << 20,
        maxJSONBytes: Int = 64 << 10,
        storageDirectory: URL,
        signupsOpen: Bool = true,
        schemaURL: URL,
        migrationsURL: URL
    ) {
        self.host = host
        self.port = port
        self.jwtSecret = jwtSecret
        self.sessionLifetime = sessionLifetime
        self.bcryptCost = bcryptCost
        self.maxUploadBytes = maxUploadBytes
        self.maxJSONBytes = maxJSONBytes
        self.storageDirectory = storageDirectory
        self.signupsOpen = signupsOpen
        self.schemaURL = schemaURL
        self.migrationsURL = migrationsURL
    }

    /// Reads `PORT`, `JWT_SECRET`, `BCRYPT_COST`, `MAX_UPLOAD_MB`, `STORAGE_DIR` and
    /// `SIGNUPS_OPEN`; `port` (from `--port`) wins over `PORT`.
    public init(configuration: WenwexConfiguration, host: String = "127.0.0.1", port: Int? = nil) {
        let project = configuration.projectDirectory
        let storage = configuration.string("STORAGE_DIR") ?? ".wenwex/storage"
        let isSQLite =
            if case .sqlite = configuration.databases.primary.url.kind { true } else { false }
        self.init(
            host: host,
            port: port ?? configuration.int("PORT") ?? 8080,
            jwtSecret: configuration.string("JWT_SECRET") ?? Self.randomSecret(),
            bcryptCost: configuration.int("BCRYPT_COST") ?? 12,
            maxUploadBytes: (configuration.int("MAX_UPLOAD_MB") ?? 10) << 20,
            storageDirectory: URL(fileURLWithPath: storage, relativeTo: project).standardizedFileURL,
            signupsOpen: configuration.bool("SIGNUPS_OPEN") ?? true,
            schemaURL: configuration.project.schemaSettings.schemaURL(in: project),
            migrationsURL: configuration.project.schemaSettings.migrationsURL(in: project, databaseIsSQLite: isSQLite)
        )
    }

    static func randomSecret() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }
}
