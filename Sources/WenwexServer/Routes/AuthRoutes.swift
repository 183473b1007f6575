import Foundation
import HTTPTypes
import Hummingbird
import WenwexHummingbird
import WenwexRouting

/// Password sign-up (optionally with a friend's referral code) and sign-in.
struct AuthRoutes: Sendable {
    let store: MarketplaceStore
    let passwords: PasswordHasher
    let sessions: SessionTokens
    let settings: ServerSettings

    struct SessionResponse: Codable, Sendable {
        var token: String
        var user: UserView
    }

    func register(on router: MarketplaceRouter) {
        router.post("auth/signup") { request, context in try await signUp(request, context) }
        router.post("auth/signin") { request, context in try await signIn(request, context) }
    }

    func signUp(_ request: Request, _ context: MarketplaceRequestContext) async throws -> JSONResponse<SessionResponse>
    {
        guard settings.signupsOpen else { throw Problem.forbidden("Sign-ups are closed.") }
        let body = try await request.jsonFields(limit: settings.maxJSONBytes)
        var errors = FieldErrors()
        let email = Self.validEmail(body.string("email", &errors), &errors)
        let password = Self.validPassword(body.string("password", &errors), "password", &errors)
        let name = errors.text(body.string("name", &errors), "name", required: false, max: 100)
        let referralCode = errors.text(
            body.string("referralCode", &errors),
            "referralCode",
            required: false,
            max: 16
        )?.uppercased()
        try errors.throwIfAny()
        guard let email, let password else { throw Problem.validation(errors.errors) }
        let hash = try await passwords.hash(password)
        let written: Written<UserView>
        do {
            written = try await store.createUser(
                email: email,
                name: name,
                passwordHash: hash,
                referralCode: ReferralCode.make(),
                referredBy: referralCode.flatMap { $0.isEmpty ? nil : $0 }
            )
        } catch MarketplaceStore.Failure.emailTaken {
            throw Problem.conflict(
                "An account with this email exists; sign in instead.",
                errors: [.init(field: "email", message: "is already registered")]
            )
        } catch MarketplaceStore.Failure.unknownReferralCode {
            throw Problem.validation([
                .init(field: "referralCode", message: "matches no user; check it with your friend")
            ])
        }
        let token = try await sessions.issue(userID: written.value.id)
        context.recordWrite(written.token)
        return JSONResponse(status: .created, value: SessionResponse(token: token, user: written.value))
    }

    func signIn(_ request: Request, _ context: MarketplaceRequestContext) async throws -> JSONResponse<SessionResponse>
    {
        let body = try await request.jsonFields(limit: settings.maxJSONBytes)
        var errors = FieldErrors()
        let email = errors.require(body.string("email", &errors), "email")?.trimmingCharacters(in: .whitespaces)
            .lowercased()
        let password = errors.require(body.string("password", &errors), "password")
        try errors.throwIfAny()
        guard let email, let password else { throw Problem.validation(errors.errors) }
        let account = try await store.accountForSignIn(email: email)
        let matches = try await passwords.verify(password, hash: account?.passwordHash ?? passwords.decoyHash)
        guard let account, matches else {
            throw Problem(.unauthorized, slug: "wrong-credentials", title: "Wrong email or password")
        }
        guard !account.banned else { throw Problem.banned }
        guard let user = try await store.user(id: account.id, private: true, after: context.consistency) else {
            throw Problem(.unauthorized, slug: "wrong-credentials", title: "Wrong email or password")
        }
        return JSONResponse(value: SessionResponse(token: try await sessions.issue(userID: account.id), user: user))
    }

    static func validEmail(_ value: String?, _ errors: inout FieldErrors) -> String? {
        guard let raw = errors.require(value, "email") else { return nil }
        let email = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 255, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !email.contains(where: \.isWhitespace)
        else {
            errors.add("email", "must be an email address like name@example.com")
            return nil
        }
        return email
    }

    static func validPassword(_ value: String?, _ field: String, _ errors: inout FieldErrors) -> String? {
        guard let password = errors.require(value, field) else { return nil }
        if password.count < PasswordHasher.minCharacters {
            errors.add(field, "must be at least \(PasswordHasher.minCharacters) characters")
            return nil
        }
        if password.utf8.count > PasswordHasher.maxBytes {
            errors.add(field, "must be at most \(PasswordHasher.maxBytes) bytes")
            return nil
        }
        return password
    }
}

extension Problem {
    static let banned = Problem(.forbidden, slug: "banned", title: "Account banned", detail: "This account is banned.")
}

/// Referral codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), about
/// 10^12 codes, so a collision with the unique index is not a practical concern.
enum ReferralCode {
    static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
