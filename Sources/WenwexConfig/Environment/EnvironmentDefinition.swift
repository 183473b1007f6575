/// One named environment of a project, as `wenwex.toml` declares it.
///
/// Without a project file the three tiers are the environments, each named after its tier.
public struct EnvironmentDefinition: Sendable, Hashable {
    /// The name `WENWEX_ENV` selects and `.env.<name>` files are named after.
    public var name: String
    /// The tier whose rules apply: `tier =` in the project file, else the tier the name is an alias of.
    public var tier: Tier
    /// What this environment's credentials look like, so another environment can recognise and
    /// refuse them.
    public var fingerprint: EnvironmentFingerprint
    /// Non-secret settings for this environment (`[environments.<name>.values]`), the lowest
    /// layer above schema defaults.
    public var values: [String: String]

    /// Creates an environment; with no fingerprint or values it is one of the environments a project
    /// without `wenwex.toml` has.
    public init(
        name: String,
        tier: Tier,
        fingerprint: EnvironmentFingerprint = .init(),
        values: [String: String] = [:]
    ) {
        self.name = name
        self.tier = tier
        self.fingerprint = fingerprint
        self.values = values
    }

    /// The environments a project has when its project file names none.
    public static let defaults: [EnvironmentDefinition] = Tier.allCases.map {
        EnvironmentDefinition(name: $0.rawValue, tier: $0)
    }
}
