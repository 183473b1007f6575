public import Foundation
public import WenwexConfig

/// Builds the object store an environment's configuration names, and runs the guard on it.
///
/// Variables (typed when the project's `wenwex.toml` declares them): `STORAGE_BACKEND`
/// (`filesystem`, the default, or `s3`); for the filesystem `STORAGE_DIR` (default
/// `.wenwex/storage`); for S3 `S3_BUCKET`, `S3_REGION` (default `us-east-1`), `S3_ENDPOINT`
/// (default AWS's regional endpoint), `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`, optional
/// `S3_SESSION_TOKEN`, and `S3_FORCE_PATH_STYLE` (default true for a custom endpoint, false
/// for AWS).
public enum StorageFactory {
    /// The configured store. Throws `ConfigurationError` naming every missing or wrong value.
    public static func make(for configuration: WenwexConfiguration) throws(ConfigurationError) -> any ObjectStore {
        let backend = configuration.text("STORAGE_BACKEND") ?? "filesystem"
        switch backend {
        case "filesystem":
            let directory = URL(
                fileURLWithPath: configuration.text("STORAGE_DIR") ?? ".wenwex/storage",
                relativeTo: configuration.projectDirectory
            ).standardizedFileURL
            do {
                return try FilesystemObjectStore(root: directory)
            } catch {
                throw ConfigurationError([
                    ConfigurationProblem(
                        subject: "STORAGE_DIR",
                        location: nil,
                        message: "cannot use \(directory.path) for object storage: \(error.localizedDescription)",
                        hint: "point STORAGE_DIR at a writable directory"
                    )
                ])
            }
        case "s3":
            var problems: [ConfigurationProblem] = []
            func required(_ name: String, _ what: String) -> String {
                if let value = configuration.text(name) { return value }
                problems.append(
                    ConfigurationProblem(
                        subject: name,
                        location: nil,
                        message: "is required with STORAGE_BACKEND=s3 in '\(configuration.environment.name)'",
                        hint: "set \(name) to \(what)"
                    )
                )
                return ""
            }
            let bucket = required("S3_BUCKET", "this environment's bucket name")
            let accessKey = required("S3_ACCESS_KEY_ID", "the access key ID")
            let secret = required("S3_SECRET_ACCESS_KEY", "the secret access key")
            let region = configuration.text("S3_REGION") ?? "us-east-1"
            let endpointText = configuration.text("S3_ENDPOINT")
            let endpoint = URL(string: endpointText ?? "https://s3.\(region).amazonaws.com")
            if endpoint?.host == nil {
                problems.append(
                    ConfigurationProblem(
                        subject: "S3_ENDPOINT",
                        location: nil,
                        message: "'\(endpointText ?? "")' is not a URL",
                        hint:
                            "use the service's base URL, e.g. https://s3.eu-central-1.amazonaws.com or http://127.0.0.1:9000"
                    )
                )
            }
            guard problems.isEmpty, let endpoint else { throw ConfigurationError(problems) }
            let pathStyle =
                configuration.bool("S3_FORCE_PATH_STYLE")
                ?? configuration.text("S3_FORCE_PATH_STYLE").map { ["1", "true", "yes"].contains($0.lowercased()) }
                ?? (endpointText != nil)
            return S3ObjectStore(
                S3Configuration(
                    endpoint: endpoint,
                    region: region,
                    bucket: bucket,
                    accessKeyID: accessKey,
                    secretAccessKey: secret,
                    sessionToken: configuration.text("S3_SESSION_TOKEN"),
                    addressing: pathStyle ? .path : .virtualHost
                )
            )
        default:
            throw configuration.problem(
                "STORAGE_BACKEND",
                message: "'\(backend)' is not a storage backend",
                hint: "use filesystem or s3"
            )
        }
    }

    /// ``make(for:)``, then the guard: a bucket stamped for another environment (or, on prod,
    /// an unstamped one) throws; warnings are returned for the caller to show.
    public static func makeGuarded(for configuration: WenwexConfiguration) async throws
        -> (store: any ObjectStore, warnings: [ConfigurationProblem])
    {
        let store = try make(for: configuration)
        let label = "object storage (\(describe(store)))"
        switch try await StorageIdentity.check(store, owner: configuration.owner, label: label) {
        case .owned: return (store, [])
        case .unstamped(let warning): return (store, [warning])
        case .refused(let problem): throw ConfigurationError([problem])
        }
    }

    /// How problems name a store: its directory, or its endpoint and bucket.
    public static func describe(_ store: any ObjectStore) -> String {
        switch store {
        case let filesystem as FilesystemObjectStore: filesystem.root.path
        case let s3 as S3ObjectStore: "\(s3.configuration.endpoint.absoluteString) bucket \(s3.configuration.bucket)"
        default: String(describing: type(of: store))
        }
    }
}
