import HTTPTypes
public import Hummingbird
public import WenwexRouting

/// Carries the read-your-writes token between a client and the database router.
///
/// A request's token comes from the `Wenwex-Consistency` header or the `wenwex_consistency`
/// cookie; reads wait for a replica that has replayed that far. When a handler writes, the
/// response carries the new token in both, so a browser (cookie) and an API client (header)
/// see their own write on the next request, whichever replica serves it.
public struct ConsistencyMiddleware<Context: WenwexRequestContext>: RouterMiddleware {
    /// The cookie a browser sends the token back in; `Wenwex-Consistency` is the header twin.
    public static var cookieName: String { "wenwex_consistency" }

    /// Add it inside `ProblemMiddleware`, so a problem response after a write still carries the token.
    public init() {}

    /// Reads the client's token into the context, and sets the newest written token on the response.
    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.consistency = Self.token(in: request)
        let notes = context.wenwex.notes
        var response = try await next(request, context)
        // The response's write is the newest thing this client did, even when its old token
        // names a higher position (a token from before a restore, or SQLite's per-process count).
        if let written = notes.newestWrite {
            response.headers[.consistencyToken] = written.description
            response.setCookie(
                Cookie(name: Self.cookieName, value: written.description, maxAge: 300, path: "/", sameSite: .lax)
            )
        }
        return response
    }

    /// The token a request carries: the header wins over the cookie.
    public static func token(in request: Request) -> ConsistencyToken? {
        if let header = request.headers[.consistencyToken], let token = ConsistencyToken(header) {
            return token
        }
        return request.cookies[cookieName].flatMap { ConsistencyToken($0.value) }
    }
}
