public import Logging
public import WenwexConfig

/// The only way Wenwex commands and servers open a database they will change: connect, read the
/// identity stamp, and refuse before the first write when the database belongs to another
/// environment (or, on prod, when it has no stamp).
public enum GuardedDatabase {
    /// Opens `endpoint` read-write after the cross-environment guard approves it.
    ///
    /// Throws `ConfigurationError` when the guard refuses (the session is closed first), and
    /// `DatabaseUnavailable` when the database cannot be reached.
    public static func open(
        _ endpoint: DatabaseEndpoints.Endpoint,
        owner: DatabaseOwner,
        logger: Logger = Logger(label: "wenwex.sql")
    ) async throws -> any SQLSession {
        let session = try await DatabaseConnector.open(endpoint.url, access: .readWrite, logger: logger)
        do {
            let stamp = try await IdentityStampStore(session: session, url: endpoint.url).read()
            let verdict = CrossEnvironmentGuard.verify(
                stamp: stamp,
                owner: owner,
                database: DatabaseIdentityCheck.label(endpoint)
            )
            if case .refused(let problem) = verdict {
                throw ConfigurationError([problem])
            }
            return session
        } catch {
            try? await session.close()
            throw error
        }
    }
}

/// `wenwex db stamp`: claims the primary database for the current environment.
public enum DatabaseStamper {
    /// What ``DatabaseStamper/stamp(_:owner:confirmation:logger:)`` did.
    public enum Outcome: Sendable, Hashable {
        /// The database had no stamp and now carries this one.
        case stamped(IdentityStamp)
        /// The database already belonged to the owner; nothing was written.
        case alreadyStamped(IdentityStamp)
    }

    /// Stamps `endpoint` for `owner`. On prod, `confirmation` must approve claiming an unstamped
    /// database; a database stamped for another environment is never re-stamped.
    public static func stamp(
        _ endpoint: DatabaseEndpoints.Endpoint,
        owner: DatabaseOwner,
        confirmation: any Confirmation,
        logger: Logger = Logger(label: "wenwex.sql")
    ) async throws -> Outcome {
        let label = DatabaseIdentityCheck.label(endpoint)
        return try await DatabaseConnector.withSession(endpoint.url, access: .readWrite, logger: logger) { session in
            let store = IdentityStampStore(session: session, url: endpoint.url)
            let existing = try await store.read()
            let needsConfirmation = existing == nil && owner.tier == .prod
            let confirmed =
                needsConfirmation
                && confirmation.confirm(
                    "Claim \(label) as the prod database of project '\(owner.project)' (environment '\(owner.environment)')?"
                )
            switch try CrossEnvironmentGuard.planStamp(
                existing: existing,
                owner: owner,
                database: label,
                confirmed: confirmed
            ) {
            case .alreadyOwned(let stamp):
                return .alreadyStamped(stamp)
            case .claim(let stamp):
                try await store.write(stamp)
                return .stamped(stamp)
            }
        }
    }
}
