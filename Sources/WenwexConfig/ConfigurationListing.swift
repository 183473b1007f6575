/// One row of `wenwex env show`: a variable, its masked value, and where the value came from.
public struct ConfigurationEntry: Sendable, Hashable, Codable {
    /// The variable's name as the process environment and dotenv files spell it, case-sensitive.
    public var name: String
    /// The value as it may be shown: secrets and URL passwords masked; `nil` when unset.
    public var value: String?
    /// `process environment`, `.env.local:3`, `schema default`, …; `nil` when unset.
    public var source: String?
    /// The schema type (`port`, `url`, …), when declared.
    public var type: String?
    /// Whether ``value`` is masked: the schema entry's ``VariableSpec/isSecret``, or for an undeclared
    /// variable whether its name looks secret (``SecretMasker/isSecretName(_:)``).
    public var secret: Bool
}

extension WenwexConfiguration {
    /// The variables worth showing: declared ones, ones set by a file, the database variables,
    /// and `WENWEX_*`; the rest of the process environment is left out.
    public func listing() -> [ConfigurationEntry] {
        var names = Set(schema.variables.map(\.name)).union(layers.fileDefinedNames)
        names.formUnion([project.database.urlVariable, project.database.replicaURLsVariable])
        names.formUnion(layers.variables.keys.filter { $0.hasPrefix("WENWEX_") })
        return names.sorted().compactMap { name in
            let secret = isSecret(name)
            if name == project.database.urlVariable {
                let primary = databases.primary
                return ConfigurationEntry(
                    name: name,
                    value: SecretMasker.display(primary.url.rawValue, isSecret: secret),
                    source: primary.source.description,
                    type: "database url",
                    secret: secret
                )
            }
            let resolved = rawValue(name)
            if resolved == nil, name == project.database.replicaURLsVariable { return nil }
            return ConfigurationEntry(
                name: name,
                value: resolved.map { SecretMasker.display($0.value, isSecret: secret) },
                source: resolved?.source.description,
                type: schema[name]?.type.keyword,
                secret: secret
            )
        }
    }
}
