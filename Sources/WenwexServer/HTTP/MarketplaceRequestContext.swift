public import Hummingbird
public import WenwexHummingbird
import WenwexRouting

/// The per-request state the marketplace's middleware fills in for its handlers: what Wenwex
/// records (request id, consistency token) and the signed-in user.
public struct MarketplaceRequestContext: WenwexRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var wenwex: WenwexRequestState
    /// The signed-in user, when the request carried a valid session token.
    public var identity: Identity?
    /// The connected peer's IP address: an edge node's identity headers count only from one.
    public let peerAddress: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress
        self.wenwex = WenwexRequestState()
        self.identity = nil
    }

    /// The signed-in user, or a 401 problem.
    public func requireIdentity() throws(Problem) -> Identity {
        guard let identity else {
            throw Problem.unauthorized("Sign in and send the token as `Authorization: Bearer <token>`.")
        }
        return identity
    }
}

/// Who is making a request, as the session token and the users table say.
public struct Identity: Sendable, Equatable {
    public enum Role: String, Sendable, Codable {
        case user = "USER"
        case admin = "ADMIN"
    }

    public var userID: Int
    public var role: Role

    public var isAdmin: Bool { role == .admin }

    /// Users may change their own data; admins may change anyone's.
    public func mayModify(ownedBy ownerID: Int) -> Bool {
        isAdmin || ownerID == userID
    }
}
