import Foundation

/// Picks the environment a process runs in, from `--env` or `WENWEX_ENV`, never from code.
public enum EnvironmentSelection {
    /// The variable that selects the environment.
    public static let variable = "WENWEX_ENV"

    /// Resolves the requested name against the project's environments.
    ///
    /// An exact name wins; otherwise tier aliases (`production`) find the environment named after
    /// that tier, or the only environment of that tier. No request means `dev`.
    public static func select(
        requested: String?,
        from environments: [EnvironmentDefinition]
    ) throws(ConfigurationError) -> EnvironmentDefinition {
        let trimmed = requested?.trimmingCharacters(in: .whitespaces) ?? ""
        let wanted = trimmed.isEmpty ? Tier.dev.rawValue : trimmed
        if let exact = environments.first(where: { $0.name == wanted }) {
            return exact
        }
        if let tier = Tier(alias: wanted) {
            if let named = environments.first(where: { $0.name == tier.rawValue }) {
                return named
            }
            let ofTier = environments.filter { $0.tier == tier }
            if ofTier.count == 1 { return ofTier[0] }
        }
        let known = environments.map(\.name).joined(separator: ", ")
        throw ConfigurationError([
            ConfigurationProblem(
                subject: variable,
                source: trimmed.isEmpty ? nil : .processEnvironment,
                message: "unknown environment '\(wanted)'",
                hint: "use one of: \(known) (tier aliases: \(Tier.acceptedAliases))"
            )
        ])
    }
}
