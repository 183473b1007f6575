public import Foundation

/// The identity a Wenwex-managed database carries: which project and environment own it.
///
/// Stored in a one-row table inside the database itself (see `WenwexSQL.IdentityStampStore`),
/// so it travels with backups and streaming replicas and cannot drift from the data it labels.
public struct IdentityStamp: Sendable, Hashable, Codable {
    /// The owning project's name (``ProjectFile/projectName``).
    public var project: String
    /// The owning environment's name, as `WENWEX_ENV` selects it.
    public var environment: String
    /// The owning environment's tier; the table accepts only `dev`, `staging` and `prod`.
    public var tier: Tier
    /// Random, fixed when the database is first stamped; replicas show their primary's.
    public var instanceID: String
    /// When the database was first stamped; stored in UTC to the second.
    public var stampedAt: Date
    /// `user@host` of whoever stamped it, for the audit trail.
    public var stampedBy: String

    /// Creates a stamp; the defaults are a new random instance id, the current time and this process's
    /// `user@host`.
    public init(
        project: String,
        environment: String,
        tier: Tier,
        instanceID: String = UUID().uuidString.lowercased(),
        stampedAt: Date = Date(),
        stampedBy: String = IdentityStamp.currentActor()
    ) {
        self.project = project
        self.environment = environment
        self.tier = tier
        self.instanceID = instanceID
        self.stampedAt = stampedAt
        self.stampedBy = stampedBy
    }

    /// `user@host` of this process.
    public static func currentActor() -> String {
        let user = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName
        return "\(user.isEmpty ? "unknown" : user)@\(ProcessInfo.processInfo.hostName)"
    }
}

/// The identity a process expects of its databases: its own project and environment.
public struct DatabaseOwner: Sendable, Hashable {
    /// The process's project name (``ProjectFile/projectName``).
    public var project: String
    /// The name of the environment the process runs as.
    public var environment: String
    /// That environment's tier: on prod an unstamped database is refused, elsewhere it is a warning.
    public var tier: Tier

    /// Creates an owner from its parts.
    public init(project: String, environment: String, tier: Tier) {
        self.project = project
        self.environment = environment
        self.tier = tier
    }

    /// Creates the owner for `environment` of `project`.
    public init(project: String, environment: EnvironmentDefinition) {
        self.init(project: project, environment: environment.name, tier: environment.tier)
    }

    /// A new stamp claiming a database for this owner.
    public func newStamp() -> IdentityStamp {
        IdentityStamp(project: project, environment: environment, tier: tier)
    }
}
