/// The typed schema of a project's configuration variables.
///
/// swift-configuration's optional reads return `nil` when a value fails to convert, which hides
/// typos such as `PORT=80a`. The schema checks every declared variable itself and reports all
/// failures at once, each naming the variable, where its value came from and what was expected.
public struct VariableSchema: Sendable, Hashable {
    public private(set) var variables: [VariableSpec]

    /// Creates a schema; a later entry for a name replaces an earlier one, in the earlier one's place.
    public init(_ variables: [VariableSpec] = []) {
        self.variables = []
        for variable in variables { add(variable) }
    }

    /// Adds or replaces the entry for `variable.name`.
    public mutating func add(_ variable: VariableSpec) {
        if let index = variables.firstIndex(where: { $0.name == variable.name }) {
            variables[index] = variable
        } else {
            variables.append(variable)
        }
    }

    /// This schema with `other`'s entries added, `other` winning on equal names.
    public func merging(_ other: VariableSchema) -> VariableSchema {
        var merged = self
        for variable in other.variables { merged.add(variable) }
        return merged
    }

    /// The entry declared for `name` (an exact, case-sensitive match), or `nil` when it is undeclared.
    public subscript(name: String) -> VariableSpec? {
        variables.first { $0.name == name }
    }

    /// Validates every declared variable against the resolved values for `tier`.
    ///
    /// Returns the typed values of the variables that are set (or defaulted) and valid, and the
    /// problems of all the others.
    public func validate(
        _ values: [String: ResolvedVariable],
        tier: Tier
    ) -> (values: [String: TypedValue], problems: [ConfigurationProblem]) {
        var typed: [String: TypedValue] = [:]
        var problems: [ConfigurationProblem] = []
        for spec in variables {
            let resolved =
                values[spec.name]
                ?? spec.defaultValue.map { ResolvedVariable(name: spec.name, value: $0, source: .schemaDefault) }
            guard let resolved, !(resolved.value.isEmpty && spec.defaultValue == nil && spec.isRequired(in: tier))
            else {
                if spec.isRequired(in: tier) {
                    problems.append(
                        ConfigurationProblem(
                            subject: spec.name,
                            source: nil,
                            message:
                                "is required in \(tier.rawValue) but is not set; expected \(spec.type.expectation)",
                            hint: "set \(spec.name) in the process environment or a dotenv file"
                                + (spec.description.map { " (\($0))" } ?? "")
                        )
                    )
                }
                continue
            }
            switch ValueReader.read(resolved.value, as: spec.type) {
            case .success(let value):
                typed[spec.name] = value
            case .failure(let failure):
                let shown = SecretMasker.quoted(resolved.value, isSecret: spec.isSecret)
                problems.append(
                    ConfigurationProblem(
                        subject: spec.name,
                        source: resolved.source,
                        message: "\(shown) is not valid: \(failure.reason); expected \(spec.type.expectation)",
                        hint: resolved.source == .schemaDefault
                            ? "fix the default of [variables.\(spec.name)]"
                            : "correct the value where it is set (\(resolved.source))"
                    )
                )
            }
        }
        return (typed, problems)
    }
}
