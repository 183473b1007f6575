import Foundation
import HTTPTypes
public import Hummingbird
import Logging
import NIOCore
import WenwexConfig

/// Renders every error as `application/problem+json`.
///
/// `Problem`s keep their status and fields; Hummingbird's own `HTTPError`s (unknown route,
/// unsupported method) keep their status; other modules' errors that know their problem
/// (`RoutingError`: 503 with `Retry-After`) or their status (any `HTTPResponseError`) keep it;
/// anything else is a 500 whose detail stays in the log, so internals (SQL, file paths,
/// credentials) never reach a client.
public struct ProblemMiddleware<Context: WenwexRequestContext>: RouterMiddleware {
    /// Add it after `RequestIDMiddleware`, so problem documents carry the request id.
    public init() {}

    /// Passes responses through and turns every thrown error into a problem response.
    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return Self.response(for: problem, request: request, context: context)
        } catch let error as HTTPError {
            let problem = Problem(
                error.status,
                slug: error.status == .notFound ? "not-found" : "http-\(error.status.code)",
                title: error.status.reasonPhrase,
                detail: error.body ?? Self.defaultDetail(for: error.status, request: request),
                headers: error.headers
            )
            return Self.response(for: problem, request: request, context: context)
        } catch let error as any ProblemConvertible {
            context.logger.warning(
                "request failed: \(error.problem.slug)",
                metadata: ["error": .string(SecretMasker.maskingCredentials(in: String(describing: error)))]
            )
            return Self.response(for: error.problem, request: request, context: context)
        } catch let error as any HTTPResponseError {
            // Another library's error that knows its status: keep its status and headers.
            var headers = (try? error.response(from: request, context: context))?.headers ?? [:]
            headers[.contentType] = nil
            headers[.contentLength] = nil
            let problem = Problem(
                error.status,
                slug: "http-\(error.status.code)",
                title: error.status.reasonPhrase,
                detail: Self.defaultDetail(for: error.status, request: request),
                headers: headers
            )
            return Self.response(for: problem, request: request, context: context)
        } catch {
            context.logger.error(
                "unhandled error",
                metadata: ["error": .string(SecretMasker.maskingCredentials(in: String(reflecting: error)))]
            )
            let problem = Problem(
                .internalServerError,
                slug: "internal",
                title: "Internal server error",
                detail: "The server failed to handle the request; quote the request id when reporting it."
            )
            return Self.response(for: problem, request: request, context: context)
        }
    }

    static func defaultDetail(for status: HTTPResponse.Status, request: Request) -> String? {
        switch status {
        case .notFound: "No route matches \(request.method.rawValue) \(request.uri.path)."
        case .methodNotAllowed: "\(request.method.rawValue) is not allowed on \(request.uri.path)."
        default: nil
        }
    }

    static func response(for problem: Problem, request: Request, context: Context) -> Response {
        let document = ProblemDocument(
            type: "https://wenwex.dev/problems/\(problem.slug)",
            title: problem.title,
            status: problem.status.code,
            detail: problem.detail,
            instance: request.uri.path,
            requestId: context.requestID,
            errors: problem.errors.isEmpty ? nil : problem.errors
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(document)) ?? Data()
        var headers = problem.headers
        headers[.contentType] = "application/problem+json"
        return Response(
            status: problem.status,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
