public import Foundation

/// The identity a Wenwex-managed database carries: which project and environment own it.
///
/// Stored in a one-row table inside the database itself (see `WenwexSQL.IdentityStampStore`),
/// so it travels with backups and streaming replicas and cannot drift from the data it labels.
public struct IdentityStamp: Sendable, Hashable, Codable {
    public var project: String
    public var environment: String
    public var tier: Tier
    /// Random, fixed when the database is first stamped; replicas show their primary's.
    public var instanceID: String
    public var stampedAt: Date
    /// `user@host` of whoever stamped it, for the audit trail.
    public var stampedBy: String

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
    public var project: String
    public var environment: String
    public var tier: Tier

    public init(project: String, environment: String, tier: Tier) {
        self.project = project
        self.environment = environment
        self.tier = tier
    }

    public init(project: String, environment: EnvironmentDefinition) {
        self.init(project: project, environment: environment.name, tier: environment.tier)
    }

    /// A new stamp claiming a database for this owner.
    public func newStamp() -> IdentityStamp {
        IdentityStamp(project: project, environment: environment, tier: tier)
    }
}
