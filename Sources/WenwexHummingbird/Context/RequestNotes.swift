import Synchronization
public import WenwexRouting

/// What inner middleware and handlers learn about a request that outer middleware needs after
/// `next` returns: the context is a value, so changes to it never travel outwards.
public final class RequestNotes: Sendable {
    private let state = Mutex<(newestWrite: ConsistencyToken?, userID: String?)>((nil, nil))

    /// Empty notes, one per request (``WenwexRequestState`` makes them).
    public init() {}

    /// Keeps the newest of the request's write tokens, for the response.
    public func recordWrite(_ token: ConsistencyToken) {
        state.withLock { state in
            if state.newestWrite.map({ token > $0 }) ?? true { state.newestWrite = token }
        }
    }

    /// The newest token a handler recorded, which the response carries; `nil` when nothing was written.
    public var newestWrite: ConsistencyToken? {
        state.withLock { $0.newestWrite }
    }

    /// The signed-in user, for the request's log line (`user_id`); an app's authentication
    /// middleware sets it.
    public var userID: String? {
        get { state.withLock { $0.userID } }
        set { state.withLock { $0.userID = newValue } }
    }
}
