public import Logging
public import WenwexConfig
import WenwexSQL

/// Builds the router an environment's configuration calls for.
public enum RouterFactory {
    /// The router for a loaded configuration, after the cross-environment guard has read the
    /// identity stamp of every database that answers: a database stamped for another
    /// environment (or, on prod, an unstamped one) stops start-up with a `ConfigurationError`.
    public static func make(
        for configuration: WenwexConfiguration,
        options: RoutingOptions = .init(),
        logger: Logger
    ) async throws -> any DatabaseRouter {
        let results = await DatabaseIdentityCheck.check(configuration.databases, owner: configuration.owner)
        let refusals = results.flatMap(\.problems).filter { $0.severity == .error }
        guard refusals.isEmpty else { throw ConfigurationError(refusals) }
        return try await make(for: configuration.databases, options: options, logger: logger)
    }

    /// A `SQLiteRouter` for a `file:` primary, a `PostgresRouter` otherwise. Replica URLs are
    /// only meaningful for PostgreSQL; with SQLite they are rejected rather than ignored.
    public static func make(
        for endpoints: DatabaseEndpoints,
        options: RoutingOptions = .init(),
        logger: Logger
    ) async throws -> any DatabaseRouter {
        switch endpoints.primary.url.kind {
        case .sqlite(let path):
            guard endpoints.replicas.isEmpty else {
                throw RoutingConfigurationError(
                    description:
                        "\(endpoints.primary.variable) is a SQLite file, which has no replicas; remove the replica URLs"
                )
            }
            return try await SQLiteRouter.open(path: path, logger: logger)
        case .postgres:
            return try PostgresRouter(endpoints: endpoints, options: options, logger: logger)
        }
    }
}
