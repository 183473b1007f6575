public import Crypto
public import Foundation

/// Signed URLs for objects in private buckets: an HMAC over the method, the path and the
/// expiry, checked without a database call (an edge node verifies them with the same keys).
///
/// Two properties matter beyond correctness. *Rotation*: several keys verify, the first signs,
/// so a new key is added, becomes the signer, and the old one is removed after the longest URL
/// lifetime. *Caching*: ``expiry(validFor:granularity:now:)`` rounds expiries up to a window,
/// so every client asking within one window gets the same URL and a CDN caches one copy
/// (signed URLs that embed a fresh timestamp per request always miss the cache).
public struct URLSigner: Sendable {
    /// One signing key, named so a URL says which key signed it.
    public struct Key: Sendable {
        /// Sent as the URL's `kid`, not percent-encoded: use URL-safe characters.
        public var id: String
        /// The HMAC-SHA256 key.
        public var secret: SymmetricKey

        /// `secret` should be at least 32 random bytes.
        public init(id: String, secret: some DataProtocol) {
            self.id = id
            self.secret = SymmetricKey(data: Data(secret))
        }
    }

    /// Why a URL was refused.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// `expires`, `kid` or `sig` is missing, or `expires` or `sig` does not parse.
        case missingParameters
        /// The signature is valid, but `expires` has passed.
        case expired
        /// `kid` names no key in ``URLSigner/keys`` (removed after a rotation, or never configured).
        case unknownKey(String)
        /// The HMAC does not match: the path, method or expiry was changed, or another secret signed it.
        case badSignature

        /// A sentence for logs and problem documents; it names a key id at most, never a secret.
        public var description: String {
            switch self {
            case .missingParameters: "the URL is not signed (expires, kid and sig are required)"
            case .expired: "the signed URL has expired"
            case .unknownKey(let id): "the URL is signed with key '\(id)', which is not active"
            case .badSignature: "the signature does not match the URL"
            }
        }
    }

    /// The first key signs; every key verifies.
    public let keys: [Key]

    /// Traps when `keys` is empty. The first key signs: make a new key first only once every
    /// verifier (each edge node) already holds it.
    public init(keys: [Key]) {
        precondition(!keys.isEmpty, "a URLSigner needs at least one key")
        self.keys = keys
    }

    /// An expiry at least `validFor` from `now`, rounded up to a multiple of `granularity`
    /// (Unix seconds), so URLs signed within one window are identical.
    public static func expiry(validFor: Duration, granularity: Duration = .seconds(300), now: Date = Date()) -> Int {
        let window = max(Int(granularity.components.seconds), 1)
        let earliest = Int(now.timeIntervalSince1970.rounded(.up)) + Int(validFor.components.seconds)
        return (earliest + window - 1) / window * window
    }

    /// The query string to append to `path` (`expires=…&kid=…&sig=…`).
    public func query(method: String = "GET", path: String, expires: Int) -> String {
        let key = keys[0]
        return
            "expires=\(expires)&kid=\(key.id)&sig=\(signature(method: method, path: path, expires: expires, key: key))"
    }

    /// `path` with its signature.
    public func sign(method: String = "GET", path: String, expires: Int) -> String {
        path + "?" + query(method: method, path: path, expires: expires)
    }

    /// Checks a request's signature parameters (the query items `expires`, `kid`, `sig`).
    public func verify(
        method: String = "GET",
        path: String,
        parameters: [String: String],
        now: Date = Date()
    ) throws(Refusal) {
        guard let expiresText = parameters["expires"], let expires = Int(expiresText),
            let keyID = parameters["kid"], let signatureText = parameters["sig"],
            let signature = Self.base64URLDecoded(signatureText)
        else { throw .missingParameters }
        guard let key = keys.first(where: { $0.id == keyID }) else { throw .unknownKey(keyID) }
        // Checked before the expiry, so an attacker learns nothing about valid URLs from timing.
        guard
            HMAC<SHA256>.isValidAuthenticationCode(
                signature,
                authenticating: Data(Self.message(method: method, path: path, expires: expires, keyID: keyID).utf8),
                using: key.secret
            )
        else { throw .badSignature }
        guard Double(expires) > now.timeIntervalSince1970 else { throw .expired }
    }

    func signature(method: String, path: String, expires: Int, key: Key) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Data(Self.message(method: method, path: path, expires: expires, keyID: key.id).utf8),
            using: key.secret
        )
        return Self.base64URL(Data(code))
    }

    /// What is signed: one field per line, so no field can be shifted into another.
    static func message(method: String, path: String, expires: Int, keyID: String) -> String {
        "\(method.uppercased())\n\(path)\n\(expires)\n\(keyID)"
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecoded(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
