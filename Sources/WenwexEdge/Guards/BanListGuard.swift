public import Hummingbird

/// Refuses banned client addresses and, once the JWT guard has named the user, banned users,
/// with 403 at the edge: the origin never sees their requests.
public struct BanListGuard: EdgeGuard {
    public let name = "bans"
    let store: BanStore

    public init(store: BanStore) {
        self.store = store
    }

    public func inspect(_ request: inout GuardedRequest) async -> Response? {
        inspectWithoutWaiting(&request).response
    }

    public func decidesWithoutWaiting(_ request: GuardedRequest) -> Bool { true }

    public func inspectWithoutWaiting(_ request: inout GuardedRequest) -> GuardVerdict {
        if store.isBanned(address: request.clientAddress) {
            return .answer(EdgeProblem.answer(.forbidden, "Requests from this address are blocked."))
        }
        if let user = request.userID, store.isBanned(user: user) {
            return .answer(EdgeProblem.answer(.forbidden, "This account is banned."))
        }
        return .proceed
    }
}
