import Crypto
public import Foundation
public import WenwexConfig
public import WenwexStorage

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
    /// Where images live: the environment's store (`STORAGE_BACKEND`), else a filesystem store
    /// under ``storageDirectory``.
    public var objectStore: (any ObjectStore)?
    public var signupsOpen: Bool

    public init(
        host: String,
        port: Int,
        jwtSecret: String,
        sessionLifetime: Duration = .seconds(12 * 3600),
        bcryptCost: Int = 12,
        maxUploadBytes: Int = 10 << 20,
        maxJSONBytes: Int = 64 << 10,
        storageDirectory: URL,
        objectStore: (any ObjectStore)? = nil,
        signupsOpen: Bool = true
    ) {
        self.host = host
        self.port = port
        self.jwtSecret = jwtSecret
        self.sessionLifetime = sessionLifetime
        self.bcryptCost = bcryptCost
        self.maxUploadBytes = maxUploadBytes
        self.maxJSONBytes = maxJSONBytes
        self.storageDirectory = storageDirectory
        self.objectStore = objectStore
        self.signupsOpen = signupsOpen
    }

    /// The shortest `JWT_SECRET` accepted outside dev: 256 bits of base64 or hex are longer.
    public static let minimumSecretLength = 32

    /// Reads `PORT`, `JWT_SECRET`, `BCRYPT_COST`, `MAX_UPLOAD_MB`, `STORAGE_DIR`, the object
    /// store's variables (see `StorageFactory`) and `SIGNUPS_OPEN`; `port` (from `--port`) wins
    /// over `PORT`.
    ///
    /// Outside dev a missing or short `JWT_SECRET` is a configuration error even when the
    /// project's schema does not declare it: a random per-process secret would sign out every
    /// user on each deploy and break sessions across instances.
    public init(configuration: WenwexConfiguration, host: String = "127.0.0.1", port: Int? = nil)
        throws(ConfigurationError)
    {
        // Typed values when the project declares the variable, else the raw text of the layers.
        func text(_ name: String) -> String? { configuration.string(name) ?? configuration.rawValue(name)?.value }
        func number(_ name: String) -> Int? { configuration.int(name) ?? text(name).flatMap { Int($0) } }
        let secret = text("JWT_SECRET")
        if configuration.environment.tier != .dev, (secret?.count ?? 0) < Self.minimumSecretLength {
            throw ConfigurationError([
                ConfigurationProblem(
                    subject: "JWT_SECRET",
                    location: nil,
                    message: secret == nil
                        ? "is required to run the server in '\(configuration.environment.name)'"
                        : "must be at least \(Self.minimumSecretLength) characters",
                    hint:
                        "set a random secret of at least \(Self.minimumSecretLength) characters, e.g. `openssl rand -base64 32`"
                )
            ])
        }
        let project = configuration.projectDirectory
        let storage = text("STORAGE_DIR") ?? ".wenwex/storage"
        self.init(
            host: host,
            port: port ?? number("PORT") ?? 8080,
            jwtSecret: secret ?? Self.randomSecret(),
            bcryptCost: number("BCRYPT_COST") ?? 12,
            maxUploadBytes: (number("MAX_UPLOAD_MB") ?? 10) << 20,
            storageDirectory: URL(fileURLWithPath: storage, relativeTo: project).standardizedFileURL,
            objectStore: try StorageFactory.make(for: configuration),
            signupsOpen: configuration.bool("SIGNUPS_OPEN") ?? true
        )
    }

    /// The store images go to.
    public func imageObjects() throws -> any ObjectStore {
        try objectStore ?? FilesystemObjectStore(root: storageDirectory)
    }

    static func randomSecret() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }
}
