public import Hummingbird
public import WenwexRouting

/// A request context the Wenwex middleware can fill in: an app's own context conforms by
/// holding one ``WenwexRequestState``.
///
/// The pattern is Hummingbird's own (`AuthRequestContext`): middleware is generic over a
/// protocol, so an app keeps one context type with its own fields (the signed-in user) beside
/// what Wenwex needs (request id, consistency token).
///
/// ```swift
/// struct AppContext: WenwexRequestContext {
///     var coreContext: CoreRequestContextStorage
///     var wenwex = WenwexRequestState()
///     init(source: Source) { coreContext = .init(source: source) }
/// }
/// ```
public protocol WenwexRequestContext: RequestContext {
    var wenwex: WenwexRequestState { get set }
}

/// What Wenwex's middleware records about one request.
public struct WenwexRequestState: Sendable {
    /// The id quoted in logs, the `X-Request-Id` response header and problem documents.
    public var requestID: String
    /// The newest write this client has seen (header or cookie); reads wait for a replica that
    /// has replayed that far.
    public var consistency: ConsistencyToken?
    /// Where handlers record their writes' tokens and the signed-in user, for the outer
    /// middleware to read after the handler returns.
    public let notes: RequestNotes

    /// The state before the middleware runs: no id, no token, empty notes.
    public init() {
        self.requestID = ""
        self.consistency = nil
        self.notes = RequestNotes()
    }
}

extension WenwexRequestContext {
    /// The request's id (see ``WenwexRequestState/requestID``).
    public var requestID: String { wenwex.requestID }

    /// The client's read-your-writes token: pass it to `DatabaseRouter.read(after:)`.
    public var consistency: ConsistencyToken? {
        get { wenwex.consistency }
        set { wenwex.consistency = newValue }
    }

    /// Notes a write so the response carries its token (header and cookie).
    public func recordWrite(_ token: ConsistencyToken) {
        wenwex.notes.recordWrite(token)
    }
}

/// The context for an app that needs nothing beyond what Wenwex records.
public struct BasicWenwexRequestContext: WenwexRequestContext {
    /// Hummingbird's own per-request storage (logger, allocator, endpoint path).
    public var coreContext: CoreRequestContextStorage
    /// What the Wenwex middleware records.
    public var wenwex: WenwexRequestState

    /// Called by Hummingbird for each request.
    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.wenwex = WenwexRequestState()
    }
}
