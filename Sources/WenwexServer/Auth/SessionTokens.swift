import Foundation
import JWTKit

/// Issues and checks the JWTs that carry a signed-in session (HS256, jwt-kit).
///
/// The token names the user and expires; it deliberately does not carry the role or the ban
/// flag, which the authentication middleware reads from the database on every request so that
/// a ban or a demotion takes effect at once.
struct SessionTokens: Sendable {
    private let keys: JWTKeyCollection
    let lifetime: Duration

    init(secret: String, lifetime: Duration) async {
        self.keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.lifetime = lifetime
    }

    func issue(userID: Int, now: Date = Date()) async throws -> String {
        let claims = SessionClaims(
            subject: SubjectClaim(value: String(userID)),
            expiration: ExpirationClaim(value: now.addingTimeInterval(TimeInterval(lifetime.components.seconds))),
            issuedAt: IssuedAtClaim(value: now)
        )
        return try await keys.sign(claims)
    }

    /// The user id of a valid, unexpired token; throws for anything else.
    func verify(_ token: String) async throws -> Int {
        let claims = try await keys.verify(token, as: SessionClaims.self)
        guard let id = Int(claims.subject.value) else {
            throw JWTError.claimVerificationFailure(failedClaim: claims.subject, reason: "not a user id")
        }
        return id
    }
}

struct SessionClaims: JWTPayload {
    var subject: SubjectClaim
    var expiration: ExpirationClaim
    var issuedAt: IssuedAtClaim

    enum CodingKeys: String, CodingKey {
        case subject = "sub"
        case expiration = "exp"
        case issuedAt = "iat"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try expiration.verifyNotExpired()
    }
}
