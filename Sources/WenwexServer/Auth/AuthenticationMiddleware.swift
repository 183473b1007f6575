import Foundation
import HTTPTypes
import Hummingbird
import WenwexEdge
import WenwexHummingbird

/// Turns `Authorization: Bearer <jwt>` into `context.identity`.
///
/// The role and the ban flag come from the users table on every request, not from the token,
/// so a ban or a demotion takes effect as soon as the replica serving the request has replayed
/// it (milliseconds; never later than the router's lag bound), and sign-in reads the primary.
/// A banned user is refused everything that needs an identity (403); a request without a token
/// goes on anonymously and the handler decides.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = MarketplaceRequestContext
    let sessions: SessionTokens
    let store: MarketplaceStore
    /// Set with trusted edge nodes: their signed `X-Wenwex-Edge-User` replaces the token check.
    var edgeIdentity: EdgeIdentity? = nil
    var edgeNodes = BanList()

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let edgeIdentity, let peer = context.peerAddress, edgeNodes.isBanned(address: peer),
            let user = edgeIdentity.verifiedUser(request.headers).flatMap(Int.init)
        {
            // An edge node verified the token; the account, role and ban still come from here.
            return try await signedIn(user, request, context, next)
        }
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem.unauthorized("Send the session token as `Authorization: Bearer <token>`.")
        }
        let userID: Int
        do {
            userID = try await sessions.verify(String(parts[1]).trimmingCharacters(in: .whitespaces))
        } catch {
            throw Problem.unauthorized("The session token is invalid or expired; sign in again.")
        }
        return try await signedIn(userID, request, context, next)
    }

    private func signedIn(
        _ userID: Int,
        _ request: Request,
        _ context: Context,
        _ next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let account = try await store.account(id: userID, after: context.consistency) else {
            throw Problem.unauthorized("The account of this session no longer exists.")
        }
        guard !account.banned else { throw Problem.banned }
        var context = context
        context.identity = Identity(userID: account.id, role: account.role)
        context.logger[metadataKey: "user_id"] = .stringConvertible(account.id)
        context.wenwex.notes.userID = String(account.id)
        return try await next(request, context)
    }
}
