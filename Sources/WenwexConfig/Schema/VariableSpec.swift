/// One variable of a project's configuration schema: its type, whether it must be set, its
/// default, and whether it is secret.
///
/// Declared in `wenwex.toml` under `[variables.NAME]`, or in Swift:
///
/// ```swift
/// let schema = VariableSchema([
///     VariableSpec("PORT", .port, default: "8080"),
///     VariableSpec("STRIPE_SECRET_KEY", .secret(), requiredIn: [.prod]),
/// ])
/// ```
public struct VariableSpec: Sendable, Hashable {
    /// The variable's name as written in the environment and the dotenv files, case-sensitive.
    public var name: String
    /// How the text is read and what is rejected; a `.secret` type makes ``isSecret`` `true`.
    public var type: VariableType
    /// What the variable is for; the problem for a missing value adds it to its hint.
    public var description: String?
    /// Required in every tier (when no default is given).
    public var isRequired: Bool
    /// Tiers in which the variable must be set even though it is optional elsewhere.
    public var requiredIn: Set<Tier>
    /// Text used when no layer sets the variable; validated like any other value.
    public var defaultValue: String?
    /// Masked in every listing; `secret` variables are always secret.
    public var isSecret: Bool

    /// Declares a variable.
    ///
    /// With `required` left `nil` the variable is required in every tier unless it has a `default` or
    /// `requiredIn` names tiers; pass `required: false` for one that may stay unset. `default` is text,
    /// read and checked like any other value. A `.secret` type is secret whatever `secret` says.
    public init(
        _ name: String,
        _ type: VariableType,
        description: String? = nil,
        required: Bool? = nil,
        requiredIn: Set<Tier> = [],
        default defaultValue: String? = nil,
        secret: Bool = false
    ) {
        self.name = name
        self.type = type
        self.description = description
        // Required unless a default exists or requirements are stated per tier.
        self.isRequired = required ?? (defaultValue == nil && requiredIn.isEmpty)
        self.requiredIn = requiredIn
        self.defaultValue = defaultValue
        if case .secret = type {
            self.isSecret = true
        } else {
            self.isSecret = secret
        }
    }

    /// Whether a missing value is a problem in `tier`.
    public func isRequired(in tier: Tier) -> Bool {
        isRequired || requiredIn.contains(tier)
    }
}
