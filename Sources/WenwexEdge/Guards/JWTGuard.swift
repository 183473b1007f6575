public import AsyncHTTPClient
public import Foundation
public import Hummingbird
import JWTKit
public import Logging
import NIOCore
import Synchronization

/// Verifies `Authorization: Bearer` tokens at the edge: forged, expired and `alg: none`
/// tokens get 401 here, so the origin never spends a request on them.
///
/// HS256 tokens are checked with the shared secret; ES256 and RS256 tokens with the JWKS the
/// origin publishes. A token naming a key id this node has not seen makes it fetch the JWKS
/// again (at most every `refreshInterval`), so a key rotation on the origin is picked up
/// instead of rejecting valid tokens. A request without a token goes on anonymously; the
/// origin decides. A verified user on the ban list gets 403. The verified user travels on in
/// headers signed with ``EdgeIdentity``.
public final class JWTGuard: EdgeGuard, Sendable {
    public let name = "jwt"
    private let secret: String?
    private let jwksURL: String?
    private let identity: EdgeIdentity?
    private let bans: BanStore?
    private let client: HTTPClient
    private let refreshInterval: Duration
    private let logger: Logger
    private let keys: Mutex<(collection: JWTKeyCollection, kids: Set<String>, fetched: ContinuousClock.Instant?)>
    /// Tokens already verified, with their expiry: a client sends the same token on every
    /// request, and checking it again costs more than the rest of a cache hit. Keyed by the
    /// whole `Authorization` value, so a hit looks it up without cutting out the token. Cleared
    /// when the keys change; bounded by `remembered`. Striped: every request with a token asks.
    /// Hashed by the value's last 32 bytes, the signature's: only verified tokens are stored,
    /// so forged ones sharing that end cannot crowd a bucket.
    private let verified = StripedDictionary<VerifiedToken>(hashedSuffix: 32)
    private let remembered = 100_000

    private struct VerifiedToken: Sendable {
        var user: String
        var expires: Double
        var notBefore: Double?
    }

    public init(
        secret: String?,
        jwksURL: URL? = nil,
        identity: EdgeIdentity? = nil,
        bans: BanStore? = nil,
        client: HTTPClient = .shared,
        refreshInterval: Duration = .seconds(10),
        logger: Logger
    ) async {
        self.secret = secret
        self.jwksURL = jwksURL?.absoluteString
        self.identity = identity
        self.bans = bans
        self.client = client
        self.refreshInterval = refreshInterval
        self.logger = logger
        keys = Mutex((await Self.collection(secret: secret, jwks: nil), [], nil))
        if jwksURL != nil { await refreshKeys(force: true) }
    }

    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var nbf: NotBeforeClaim?

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
            try nbf?.verifyNotBefore()
        }
    }

    public func inspect(_ request: inout GuardedRequest) async -> Response? {
        guard let header = Self.authorization(request.headers), let token = Self.bearerToken(header) else { return nil }
        guard let user = await verifiedUser(String(token), header: header) else { return Self.invalidToken.response }
        return admit(user, &request).response
    }

    /// Without a token, or with one verified before and still in date: no key work to wait for.
    /// A remembered value was a bearer token when it was verified, so it is looked up before
    /// the value is parsed: the common request with a token does no parsing at all.
    public func decidesWithoutWaiting(_ request: GuardedRequest) -> Bool {
        guard let header = Self.authorization(request.headers) else { return true }
        return rememberedUser(header) != nil || Self.bearerToken(header) == nil
    }

    public func inspectWithoutWaiting(_ request: inout GuardedRequest) -> GuardVerdict {
        guard let header = Self.authorization(request.headers) else { return .proceed }
        if let user = rememberedUser(header) { return admit(user, &request) }
        // Forgotten since it was asked (the keys changed): verify it on the asynchronous path.
        return Self.bearerToken(header) == nil ? .proceed : .mustWait
    }

    /// The verified user, unless banned; their identity goes on in signed headers.
    ///
    /// The user header is set now, so a response that varies on it is cached per user; the
    /// signature is left to the proxy, which signs only when the request goes to the origin.
    private func admit(_ user: String, _ request: inout GuardedRequest) -> GuardVerdict {
        request.userID = user
        if let bans, bans.isBanned(user: user) {
            return .answer(EdgeProblem.answer(.forbidden, "This account is banned."))
        }
        if let identity {
            request.headers[EdgeIdentity.userHeader] = user
            request.identitySigner = identity
        }
        return .proceed
    }

    private static let invalidToken = EdgeProblem.answer(
        .unauthorized,
        "The token is invalid or expired; sign in again.",
        headers: [.wwwAuthenticate: #"Bearer error="invalid_token""#]
    )

    /// The `Authorization` value. One field is returned as it is: `HTTPFields`' subscript joins
    /// the values into a new string, a copy of the whole token on every request. Several
    /// fields are joined, as the subscript does, and then fail verification.
    private static func authorization(_ headers: HTTPFields) -> String? {
        var found: String?
        for field in headers where field.name == .authorization {
            if found != nil { return headers[.authorization] }
            found = field.value
        }
        return found
    }

    /// The token of `Authorization: Bearer …` (the scheme in any case, spaces around the
    /// token dropped; an empty token is refused later, as a forged one), or `nil` for any other
    /// credentials. A slice of the value read byte by byte, not a copy: every hit with a token
    /// asks, twice.
    static func bearerToken(_ header: String) -> Substring? {
        let bytes = header.utf8
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")),
            bytes[..<space].count == 6,
            zip(bytes[..<space], "bearer".utf8).allSatisfy({ $0 | 0x20 == $1 })
        else { return nil }
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = bytes.index(after: space)
        var end = bytes.endIndex
        while start < end, isBlank(bytes[start]) { start = bytes.index(after: start) }
        while end > start, isBlank(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return header[start..<end]
    }

    /// The user of a token verified before (by its `Authorization` value), while it is in date.
    private func rememberedUser(_ header: String) -> String? {
        let now = Date().timeIntervalSince1970
        guard let known = verified[header], now < known.expires, now >= (known.notBefore ?? 0) else {
            return nil
        }
        return known.user
    }

    /// The user the token names when a known key signed it and it is in date.
    func verifiedUser(_ token: String, header: String) async -> String? {
        if let user = rememberedUser(header) { return user }
        let collection = keys.withLock { $0.collection }
        if let claims = try? await collection.verify(token, as: Claims.self) {
            remember(header, claims)
            return claims.sub.value
        }
        // A key id this node has not seen: the origin may have rotated its keys.
        guard jwksURL != nil, let kid = Self.keyID(of: token), !keys.withLock({ $0.kids.contains(kid) }) else {
            return nil
        }
        await refreshKeys(force: false)
        let refreshed = keys.withLock { $0.collection }
        guard let claims = try? await refreshed.verify(token, as: Claims.self) else { return nil }
        remember(header, claims)
        return claims.sub.value
    }

    private func remember(_ header: String, _ claims: Claims) {
        let perStripe = remembered / verified.stripeCount
        verified.withStripe(holding: header) { stripe, key in
            if stripe.count >= perStripe { stripe.removeAll(keepingCapacity: true) }
            stripe[key] = VerifiedToken(
                user: claims.sub.value,
                expires: claims.exp.value.timeIntervalSince1970,
                notBefore: claims.nbf?.value.timeIntervalSince1970
            )
        }
    }

    /// Fetches the JWKS again unless it was fetched within `refreshInterval`.
    func refreshKeys(force: Bool) async {
        guard let jwksURL else { return }
        let now = ContinuousClock.now
        let due = keys.withLock { state in
            guard force || state.fetched.map({ now - $0 >= refreshInterval }) ?? true else { return false }
            state.fetched = now
            return true
        }
        guard due else { return }
        do {
            let response = try await client.execute(HTTPClientRequest(url: jwksURL), timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else { throw JWKSFetchError(status: Int(response.status.code)) }
            let jwks = try JSONDecoder().decode(JWKS.self, from: Data(body.readableBytesView))
            let collection = await Self.collection(secret: secret, jwks: jwks)
            let kids = Set(jwks.keys.compactMap { $0.keyIdentifier?.string })
            keys.withLock { $0 = (collection, kids, now) }
            verified.removeAll()
        } catch {
            logger.warning(
                "JWKS fetch failed; keeping the keys already known",
                metadata: ["error": "\(error)", "url": "\(jwksURL)"]
            )
        }
    }

    private static func collection(secret: String?, jwks: JWKS?) async -> JWTKeyCollection {
        let collection = JWTKeyCollection()
        if let secret { await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256) }
        if let jwks {
            for key in jwks.keys { _ = try? await collection.add(jwk: key) }
        }
        return collection
    }

    /// The `kid` of a compact JWS header, read without verifying anything.
    static func keyID(of token: String) -> String? {
        guard let first = token.split(separator: ".").first else { return nil }
        var base64 = first.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["kid"] as? String
    }
}

struct JWKSFetchError: Error, CustomStringConvertible {
    var status: Int
    var description: String { "the JWKS endpoint answered \(status)" }
}
