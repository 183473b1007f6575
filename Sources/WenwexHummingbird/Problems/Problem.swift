public import HTTPTypes

/// An error the API reports to its client as RFC 9457 `application/problem+json`.
///
/// Handlers throw `Problem`s; `ProblemMiddleware` renders them (and turns every other error
/// into one), so every failure a client sees has the same shape, a stable `type`, and the
/// request id to quote in a bug report.
public struct Problem: Error, Sendable, Equatable {
    /// One rejected input field, named by its JSON path (`items[1].quantity`).
    public struct FieldError: Sendable, Equatable, Codable {
        /// The JSON path of the rejected field (`items[1].quantity`), as the client sent it.
        public var field: String
        /// What is wrong with it, phrased so the client can fix it ("must be 1 to 1000 characters").
        public var message: String

        /// Names one rejected field.
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// The response status; also the document's `status` member.
    public var status: HTTPResponse.Status
    /// A short, stable slug (`validation`, `not-found`, …) appended to the type URI.
    public var slug: String
    /// A short summary that is the same for every occurrence of this kind of problem.
    public var title: String
    /// What happened this time and what to do next; never internals (SQL, paths, credentials).
    public var detail: String?
    /// Every rejected field at once, so a form can show all of them after one round trip.
    public var errors: [FieldError]
    /// Extra response headers (`WWW-Authenticate`, `Content-Range`).
    public var headers: HTTPFields

    /// A problem of any kind; prefer the named constructors below for the common ones.
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

    /// 422 `validation`: the request was well-formed but these fields are wrong.
    public static func validation(_ errors: [FieldError]) -> Problem {
        Problem(
            .unprocessableContent,
            slug: "validation",
            title: "The request has invalid fields",
            detail: "Fix the fields listed in errors and send the request again.",
            errors: errors
        )
    }

    /// 404 `not-found`; `what` names the resource ("Product 42").
    public static func notFound(_ what: String) -> Problem {
        Problem(.notFound, slug: "not-found", title: "Not found", detail: "\(what) does not exist.")
    }

    /// 401 `unauthorized` with `WWW-Authenticate: Bearer`, for a missing or invalid session.
    public static func unauthorized(_ detail: String) -> Problem {
        Problem(
            .unauthorized,
            slug: "unauthorized",
            title: "Sign-in required",
            detail: detail,
            headers: [.wwwAuthenticate: "Bearer"]
        )
    }

    /// 403 `forbidden`: signed in, but not allowed to do this.
    public static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, slug: "forbidden", title: "Not allowed", detail: detail)
    }

    /// 409 `conflict`: the request collides with the current state (a taken email, sold-out stock).
    public static func conflict(_ detail: String, errors: [FieldError] = []) -> Problem {
        Problem(.conflict, slug: "conflict", title: "Conflict", detail: detail, errors: errors)
    }

    /// 400 `bad-request`: the request itself is malformed (not JSON, a bad query parameter).
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
