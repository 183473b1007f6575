import Crypto
public import Foundation
public import WenwexConfig
public import WenwexEdge
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
    /// Where purge events go when an image is deleted or replaced: an ``HTTPPurgeSink`` per
    /// URL of `EDGE_PURGE_URLS` (comma-separated edge nodes' purge APIs), authenticated with
    /// `EDGE_PURGE_TOKEN`.
    public var purgeSinks: [any PurgeSink] = []
    /// The token edge nodes present to poll the ban feed (`EDGE_PURGE_TOKEN`, the one they
    /// also accept purges with); unset, the feed refuses every poll.
    public var edgeToken: String?
    /// Signs and checks the URLs of private files: `URL_SIGNING_SECRETS` as `kid:secret`
    /// pairs, comma-separated, the first signing and all verifying (two during a rotation);
    /// unset, one key derived from `JWT_SECRET`.
    public var urlSigner: URLSigner
    /// Checks the user an edge node verified (`EDGE_IDENTITY_SECRET`); with ``edgeNodes``, the
    /// server takes `X-Wenwex-Edge-User` instead of checking the token again.
    public var edgeIdentity: EdgeIdentity?
    /// The addresses and ranges edge nodes connect from (`EDGE_NODE_ADDRESSES`, comma-separated);
    /// identity headers from any other peer are ignored.
    public var edgeNodes = BanList()
    /// How often the ban feed reads the `ban_changes` other origin instances wrote, and how
    /// often it reloads every ban as a safety net (`BanFeedRefresh`).
    public var banChangesInterval: Duration = .milliseconds(250)
    public var banReloadInterval: Duration = .seconds(60)

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
        let derived = HMAC<SHA256>.authenticationCode(
            for: Data("wenwex url signing".utf8),
            using: SymmetricKey(data: Data(jwtSecret.utf8))
        )
        self.urlSigner = URLSigner(keys: [URLSigner.Key(id: "k0", secret: Data(derived))])
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
        let purgeURLs = try Self.urls(
            "EDGE_PURGE_URLS",
            configuration,
            example: "https://edge-1.example.com/_wenwex/purge"
        )
        if let secrets = text("URL_SIGNING_SECRETS") {
            var keys: [URLSigner.Key] = []
            for pair in secrets.split(separator: ",") {
                let parts = pair.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, parts[1].utf8.count >= 32 else {
                    throw configuration.problem(
                        "URL_SIGNING_SECRETS",
                        message: "is not a list of key-id:secret pairs with secrets of at least 32 characters",
                        hint: "write e.g. k2:<openssl rand -base64 32>,k1:<the previous secret>"
                    )
                }
                keys.append(URLSigner.Key(id: parts[0], secret: Data(parts[1].utf8)))
            }
            if !keys.isEmpty { urlSigner = URLSigner(keys: keys) }
        }
        let token = text("EDGE_PURGE_TOKEN")
        edgeToken = token
        if let identitySecret = text("EDGE_IDENTITY_SECRET") {
            guard identitySecret.count >= Self.minimumSecretLength else {
                throw configuration.problem(
                    "EDGE_IDENTITY_SECRET",
                    message: "must be at least \(Self.minimumSecretLength) characters",
                    hint: "use the same random secret on the origin and every edge node, e.g. `openssl rand -base64 32`"
                )
            }
            edgeIdentity = EdgeIdentity(secret: identitySecret)
        }
        for entry in (text("EDGE_NODE_ADDRESSES") ?? "").split(separator: ",") {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard edgeNodes.ban(address: trimmed) else {
                throw configuration.problem(
                    "EDGE_NODE_ADDRESSES",
                    message: "'\(trimmed)' is not an IP address or CIDR range",
                    hint: "list the edge nodes' addresses, e.g. 10.0.1.5,10.0.2.0/24"
                )
            }
        }
        purgeSinks = purgeURLs.map { HTTPPurgeSink(endpoint: $0, token: token) }
        purgeSinks += try Self.urls("VARNISH_BAN_URLS", configuration, example: "http://varnish-1:6081/").map {
            VarnishBanSink(endpoint: $0)
        }
        if let zone = text("CLOUDFLARE_ZONE_ID") {
            guard let apiToken = text("CLOUDFLARE_API_TOKEN"),
                let site = text("PUBLIC_SITE_URL").flatMap(URL.init(string:))
            else {
                throw configuration.problem(
                    "CLOUDFLARE_ZONE_ID",
                    message: "needs CLOUDFLARE_API_TOKEN and PUBLIC_SITE_URL beside it",
                    hint:
                        "set CLOUDFLARE_API_TOKEN (a token with Cache Purge permission) and PUBLIC_SITE_URL=https://your-site"
                )
            }
            purgeSinks.append(CloudflarePurgeSink(zone: zone, token: apiToken, site: site))
        }
        if let service = text("FASTLY_SERVICE_ID") {
            guard let apiToken = text("FASTLY_API_TOKEN"),
                let host = text("PUBLIC_SITE_URL").flatMap({ URL(string: $0)?.host })
            else {
                throw configuration.problem(
                    "FASTLY_SERVICE_ID",
                    message: "needs FASTLY_API_TOKEN and PUBLIC_SITE_URL beside it",
                    hint: "set FASTLY_API_TOKEN (a purge-scoped API token) and PUBLIC_SITE_URL=https://your-site"
                )
            }
            purgeSinks.append(FastlyPurgeSink(service: service, token: apiToken, host: host))
        }
    }

    /// The comma-separated http(s) URLs of `name`; a malformed one is a configuration error
    /// naming where it was set.
    static func urls(_ name: String, _ configuration: WenwexConfiguration, example: String) throws(ConfigurationError)
        -> [URL]
    {
        let text = configuration.string(name) ?? configuration.rawValue(name)?.value ?? ""
        var urls: [URL] = []
        for item in text.split(separator: ",") {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let url = URL(string: trimmed), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw configuration.problem(
                    name,
                    message: "'\(trimmed)' is not an http(s) URL",
                    hint: "list them comma-separated, e.g. \(example)"
                )
            }
            urls.append(url)
        }
        return urls
    }

    /// The store images go to.
    public func imageObjects() throws -> any ObjectStore {
        try objectStore ?? FilesystemObjectStore(root: storageDirectory)
    }

    /// tus uploads into the image store, up to ``maxUploadBytes`` each.
    func resumableUploads() throws -> ResumableUploads {
        ResumableUploads(store: try imageObjects(), maxSize: maxUploadBytes)
    }

    static func randomSecret() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }
}
