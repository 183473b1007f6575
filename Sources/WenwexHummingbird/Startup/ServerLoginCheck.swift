public import Logging
public import WenwexAccess
public import WenwexConfig
import WenwexSQL

/// The start-up check that a server runs as the application role once the environment's
/// least-privilege layout exists (`wenwex access apply`): production refuses to start as a
/// superuser or a migrator, other tiers log a warning. Runs before the port is bound.
public enum ServerLoginCheck {
    /// Throws a ``ConfigurationError`` in prod; logs the problem elsewhere. `deploying` allows
    /// the migrator for a server that applies its own migrations.
    public static func run(
        _ configuration: WenwexConfiguration,
        deploying: Bool,
        logger: Logger
    ) async throws {
        let roles = AccessRoles(project: configuration.project.projectName, environment: configuration.environment.name)
        let primary = configuration.databases.primary.url
        guard case .postgres = primary.kind else { return }
        let login = try await DatabaseConnector.withSession(primary) { try await ServerLogin.inspect($0, roles: roles) }
        guard let problem = login?.problem(roles: roles, tier: configuration.environment.tier, deploying: deploying)
        else { return }
        if problem.severity == .error { throw ConfigurationError([problem]) }
        logger.warning("\(problem.description)")
    }
}
