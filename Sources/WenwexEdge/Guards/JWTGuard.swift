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
    /// when the keys change; bounded by `remembered`.
    private let verified = Mutex<[String: (user: String, expires: Double, notBefore: Double?)]>([:])
    private let remembered = 100_000

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
        guard let header = request.headers[.authorization], let token = Self.bearerToken(header) else { return nil }
        guard let user = await verifiedUser(String(token), header: header) else { return Self.invalidToken.response }
        return admit(user, &request).response
    }

    /// Without a token, or with one verified before and still in date: no key work to wait for.
    public func decidesWithoutWaiting(_ request: GuardedRequest) -> Bool {
        guard let header = request.headers[.authorization], Self.bearerToken(header) != nil else { return true }
        return rememberedUser(header) != nil
    }

    public func inspectWithoutWaiting(_ request: inout GuardedRequest) -> GuardVerdict {
        guard let header = request.headers[.authorization], Self.bearerToken(header) != nil else { return .proceed }
        // Forgotten since it was asked (the keys changed): verify it on the asynchronous path.
        guard let user = rememberedUser(header) else { return .mustWait }
        return admit(user, &request)
    }

    /// The verified user, unless banned; their identity goes on in signed headers.
    private func admit(_ user: String, _ request: inout GuardedRequest) -> GuardVerdict {
        request.userID = user
        if let bans, bans.isBanned(user: user) {
            return .answer(EdgeProblem.answer(.forbidden, "This account is banned."))
        }
        if let identity {
            for field in identity.headers(user: user) { request.headers[field.name] = field.value }
        }
        return .proceed
    }

    private static let invalidToken = EdgeProblem.answer(
        .unauthorized,
        "The token is invalid or expired; sign in again.",
        headers: [.wwwAuthenticate: #"Bearer error="invalid_token""#]
    )

    /// The token of `Authorization: Bearer …` (the scheme in any case, spaces around the
    /// token dropped; an empty token is refused later, as a forged one), or `nil` for any other
    /// credentials. A slice of the value, not a copy:
    /// every hit with a token asks.
    private static func bearerToken(_ header: String) -> Substring? {
        guard let space = header.firstIndex(of: " "), header[..<space].lowercased() == "bearer" else { return nil }
        var token = header[header.index(after: space)...]
        while let first = token.first, first == " " || first == "\t" { token.removeFirst() }
        while let last = token.last, last == " " || last == "\t" { token.removeLast() }
        return token
    }

    /// The user of a token verified before (by its `Authorization` value), while it is in date.
    private func rememberedUser(_ header: String) -> String? {
        let now = Date().timeIntervalSince1970
        guard let known = verified.withLock({ $0[header] }), now < known.expires, now >= (known.notBefore ?? 0) else {
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
        verified.withLock { verified in
            if verified.count >= remembered { verified.removeAll(keepingCapacity: true) }
            verified[header] = (
                claims.sub.value, claims.exp.value.timeIntervalSince1970, claims.nbf?.value.timeIntervalSince1970
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
            verified.withLock { $0.removeAll() }
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
