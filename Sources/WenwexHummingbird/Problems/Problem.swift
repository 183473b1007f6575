public import HTTPTypes

/// An error the API reports to its client as RFC 9457 `application/problem+json`.
///
/// Handlers throw `Problem`s; `ProblemMiddleware` renders them (and turns every other error
/// into one), so every failure a client sees has the same shape, a stable `type`, and the
/// request id to quote in a bug report.
public struct Problem: Error, Sendable, Equatable {
    /// One rejected input field, named by its JSON path (`items[1].quantity`).
    public struct FieldError: Sendable, Equatable, Codable {
        public var field: String
        public var message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public var status: HTTPResponse.Status
    /// A short, stable slug (`validation`, `not-found`, …) appended to the type URI.
    public var slug: String
    public var title: String
    public var detail: String?
    public var errors: [FieldError]
    /// Extra response headers (`WWW-Authenticate`, `Content-Range`).
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status,
        slug: String,
        title: String,
        detail: String? = nil,
        errors: [FieldError] = [],
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    public static func validation(_ errors: [FieldError]) -> Problem {
        Problem(
            .unprocessableContent,
            slug: "validation",
            title: "The request has invalid fields",
            detail: "Fix the fields listed in errors and send the request again.",
            errors: errors
        )
    }

    public static func notFound(_ what: String) -> Problem {
        Problem(.notFound, slug: "not-found", title: "Not found", detail: "\(what) does not exist.")
    }

    public static func unauthorized(_ detail: String) -> Problem {
        Problem(
            .unauthorized,
            slug: "unauthorized",
            title: "Sign-in required",
            detail: detail,
            headers: [.wwwAuthenticate: "Bearer"]
        )
    }

    public static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, slug: "forbidden", title: "Not allowed", detail: detail)
    }

    public static func conflict(_ detail: String, errors: [FieldError] = []) -> Problem {
        Problem(.conflict, slug: "conflict", title: "Conflict", detail: detail, errors: errors)
    }

    public static func badRequest(_ detail: String) -> Problem {
        Problem(.badRequest, slug: "bad-request", title: "Bad request", detail: detail)
    }
}

/// The JSON body of a problem response.
struct ProblemDocument: Codable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String?
    var instance: String
    var requestId: String
    var errors: [Problem.FieldError]?
}
