public import Foundation

/// Where an S3-compatible bucket is and how to reach it.
public struct S3Configuration: Sendable {
    /// How the bucket appears in URLs.
    public enum Addressing: Sendable {
        /// `https://endpoint/bucket/key`: MinIO, Ceph, moto, Supabase Storage's S3 endpoint.
        case path
        /// `https://bucket.endpoint/key`: AWS S3's default, Cloudflare R2.
        case virtualHost
    }

    /// The service's base URL (`https://s3.eu-central-1.amazonaws.com`,
    /// `http://127.0.0.1:9000`).
    public var endpoint: URL
    /// The region requests are signed for; S3 refuses one that is not the bucket's, and the error
    /// names the right one when S3 reports it.
    public var region: String
    /// One bucket per environment, claimed by ``StorageIdentity``'s stamp.
    public var bucket: String
    /// Sent with every request, and named in error messages (unlike the secret).
    public var accessKeyID: String
    /// Only used to derive signing keys; never sent.
    public var secretAccessKey: String
    /// Temporary credentials' token, sent as `x-amz-security-token`; `nil` for long-lived keys.
    public var sessionToken: String?
    /// Path-style (the initializer's default) or virtual-hosted URLs; ``StorageFactory`` picks it
    /// from `S3_FORCE_PATH_STYLE`.
    public var addressing: Addressing
    /// Objects larger than this go up in parts of this size (S3's minimum part is 5 MiB).
    public var partSize: Int
    /// Parts uploaded at once from a stream; memory is about `partSize × partsInFlight`.
    public var partsInFlight: Int
    /// Parts uploaded at once from a file (`ObjectBody.file`), read from it as they are sent, so
    /// more in flight costs a few hundred kilobytes each rather than a part.
    public var filePartsInFlight: Int
    /// Attempts for a request that failed with a 5xx, throttling or a dropped connection.
    public var maxAttempts: Int

    /// Raises `partSize` to at least 5 MiB (default 8 MiB), and `partsInFlight`,
    /// `filePartsInFlight` and `maxAttempts` to at least 1.
    public init(
        endpoint: URL,
        region: String,
        bucket: String,
        accessKeyID: String,
        secretAccessKey: String,
        sessionToken: String? = nil,
        addressing: Addressing = .path,
        partSize: Int = 8 << 20,
        partsInFlight: Int = 2,
        filePartsInFlight: Int = 8,
        maxAttempts: Int = 4
    ) {
        self.endpoint = endpoint
        self.region = region
        self.bucket = bucket
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.addressing = addressing
        self.partSize = max(partSize, 5 << 20)
        self.partsInFlight = max(partsInFlight, 1)
        self.filePartsInFlight = max(filePartsInFlight, 1)
        self.maxAttempts = max(maxAttempts, 1)
    }

    /// The URL of `key` (or of the bucket itself for `nil`), encoded once as S3 signs it.
    func url(key: String?, query: [(name: String, value: String)] = []) -> (url: String, host: String, path: String) {
        var host = endpoint.host ?? "localhost"
        if let port = endpoint.port { host += ":\(port)" }
        let base = endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path
        let keyPath = key.map { "/" + SigV4Signer.encodeKeyPath($0) } ?? (addressing == .path ? "" : "/")
        let path: String
        switch addressing {
        case .path:
            path = base + "/" + SigV4Signer.uriEncode(bucket) + keyPath
        case .virtualHost:
            host = bucket + "." + host
            path = base + keyPath
        }
        let queryText = query.map { "\(SigV4Signer.uriEncode($0.name))=\(SigV4Signer.uriEncode($0.value))" }
            .joined(separator: "&")
        let scheme = endpoint.scheme ?? "https"
        return ("\(scheme)://\(host)\(path)\(queryText.isEmpty ? "" : "?" + queryText)", host, path)
    }
}
