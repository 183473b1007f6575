public import Logging
public import WenwexConfig

extension GuardedDatabase {
    /// Opens `endpoint` read-only, applies the cross-environment guard, and runs `body`.
    ///
    /// For commands that only read (`wenwex db pull`): a SQLite file that does not exist is
    /// reported as `DatabaseUnavailable` and never created, and a database stamped for another
    /// environment (or unstamped, on prod) is refused with `ConfigurationError` before `body`
    /// sees it, since reading another environment's schema into this one's files is how a
    /// production schema ends up migrated from a developer's database. An unstamped database
    /// outside prod is allowed; the warning is returned for the caller to show.
    public static func withReadOnlySession<Result: Sendable>(
        _ endpoint: DatabaseEndpoints.Endpoint,
        owner: DatabaseOwner,
        timeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "wenwex.sql"),
        _ body: (any SQLSession) async throws -> Result
    ) async throws -> (result: Result, warning: ConfigurationProblem?) {
        try await DatabaseConnector.withSession(endpoint.url, access: .readOnly, timeout: timeout, logger: logger) {
            session in
            let stamp = try await IdentityStampStore(session: session, url: endpoint.url).read()
            let verdict = CrossEnvironmentGuard.verify(
                stamp: stamp,
                owner: owner,
                database: DatabaseIdentityCheck.label(endpoint)
            )
            switch verdict {
            case .refused(let problem):
                throw ConfigurationError([problem])
            case .unstamped(let warning):
                return (try await body(session), warning)
            case .owned:
                return (try await body(session), nil)
            }
        }
    }
}

extension GuardedDatabase {
    /// Opens `endpoint` read-write through the guard (`open`), runs `body`, and closes the
    /// session whether or not `body` throws: how commands that change a database use it.
    public static func withSession<Result: Sendable>(
        _ endpoint: DatabaseEndpoints.Endpoint,
        owner: DatabaseOwner,
        logger: Logger = Logger(label: "wenwex.sql"),
        _ body: (any SQLSession) async throws -> Result
    ) async throws -> Result {
        let session = try await open(endpoint, owner: owner, logger: logger)
        do {
            let result = try await body(session)
            try? await session.close()
            return result
        } catch {
            try? await session.close()
            throw error
        }
    }
}
