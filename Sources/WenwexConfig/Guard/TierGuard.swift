/// The checks that data-destroying commands (reset, drop, restore, clone into) make first.
///
/// Each such command names the environment and database it is about to change, refuses the prod
/// tier outright, and elsewhere asks for confirmation (`--yes` for scripts).
public enum TierGuard {
    /// Throws unless `environment`'s tier is one of `allowed`.
    public static func requireTier(
        _ allowed: Set<Tier>,
        for operation: String,
        in environment: EnvironmentDefinition
    ) throws(ConfigurationError) {
        guard !allowed.contains(environment.tier) else { return }
        let tiers = Tier.allCases.filter(allowed.contains).map(\.rawValue).joined(separator: " or ")
        throw ConfigurationError([
            ConfigurationProblem(
                subject: operation,
                location: nil,
                message:
                    "is not allowed in environment '\(environment.name)' (tier \(environment.tier.rawValue)); it runs only in \(tiers)",
                hint: "run it against a \(tiers) environment (WENWEX_ENV=…)"
            )
        ])
    }

    /// Refuses prod, then asks `confirmation` to approve `operation` on `database`.
    public static func authorizeDestructive(
        _ operation: String,
        database: String,
        in environment: EnvironmentDefinition,
        confirmation: any Confirmation
    ) throws(ConfigurationError) {
        try requireTier([.dev, .staging], for: operation, in: environment)
        let question =
            "\(operation) will destroy data in \(database) (environment '\(environment.name)', tier \(environment.tier.rawValue)). Continue?"
        guard confirmation.confirm(question) else {
            throw ConfigurationError([
                ConfigurationProblem(
                    subject: operation,
                    location: nil,
                    message: "was not confirmed; nothing was changed",
                    hint: "answer 'yes' at the prompt, or pass --yes in scripts"
                )
            ])
        }
    }
}
