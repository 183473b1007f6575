public import Hummingbird
public import WenwexRouting

/// The per-request state the marketplace's middleware fills in for its handlers.
public struct MarketplaceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The id quoted in logs, the `X-Request-Id` response header and problem documents.
    public var requestID: String
    /// The signed-in user, when the request carried a valid session token.
    public var identity: Identity?
    /// The newest write this client has seen (header or cookie); reads wait for it.
    public var consistency: ConsistencyToken?
    /// Where handlers record their writes' tokens (for the response) and authentication the
    /// user (for the log line).
    public let notes = RequestNotes()

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.identity = nil
        self.consistency = nil
    }

    /// Notes a write so the response carries its token.
    public func recordWrite(_ token: ConsistencyToken) {
        notes.recordWrite(token)
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
