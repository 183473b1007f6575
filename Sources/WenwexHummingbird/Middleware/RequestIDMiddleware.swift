import Foundation
public import HTTPTypes
public import Hummingbird
import Logging
import WenwexConfig

/// Gives each request an id (the client's `X-Request-Id` when it is short and plain, so a
/// proxy's id carries through), puts it in every log line and echoes it in the response, then
/// logs one structured line per request (`info`, `request`) with credentials in the path masked
/// and the signed-in user that ``RequestNotes/userID`` names.
///
/// Outermost of the Wenwex middleware, so the line carries the final status, problems included.
public struct RequestIDMiddleware<Context: WenwexRequestContext>: RouterMiddleware {
    /// Add it first, so its log line and response header cover every other middleware.
    public init() {}

    /// Assigns the id, runs the request, echoes the id and logs the request's one line.
    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.wenwex.requestID = Self.acceptedID(request.headers[.requestID]) ?? Self.newID()
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        let started = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[.requestID] = context.requestID
        let elapsed = ContinuousClock.now - started
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(SecretMasker.maskingCredentials(in: request.uri.description)),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .stringConvertible(Self.milliseconds(elapsed)),
                "user_id": context.wenwex.notes.userID.map { .string($0) } ?? "-",
            ]
        )
        return response
    }

    /// Milliseconds with microsecond precision, for the log line.
    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return (Double(seconds) * 1000 + Double(attoseconds / 1_000_000_000_000) / 1000)
    }

    static func acceptedID(_ value: String?) -> String? {
        guard let value, (1...64).contains(value.count),
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        return value
    }

    static func newID() -> String {
        UUID().uuidString.lowercased()
    }
}

extension HTTPField.Name {
    /// The request id a proxy sends and every response echoes.
    public static var requestID: Self { Self("X-Request-Id")! }
    /// The read-your-writes token, for clients that prefer a header to the cookie.
    public static var consistencyToken: Self { Self("Wenwex-Consistency")! }
}
