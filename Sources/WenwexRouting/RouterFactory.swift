public import Logging
public import WenwexConfig
import WenwexSQL

/// Builds the router an environment's configuration calls for.
public enum RouterFactory {
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
                    description: "\(endpoints.primary.variable) is a SQLite file, which has no replicas; remove the replica URLs"
                )
            }
            return try await SQLiteRouter.open(path: path, logger: logger)
        case .postgres:
            return try PostgresRouter(endpoints: endpoints, options: options, logger: logger)
        }
    }
}
