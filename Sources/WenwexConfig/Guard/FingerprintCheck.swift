import Foundation

/// Checks a process's credentials against the fingerprints of every environment of the project.
///
/// Two kinds of finding, both errors: a credential that does not carry the current
/// environment's own fingerprint (prod's `DATABASE_URL` on a host prod does not list), and one
/// that carries another environment's fingerprint without also carrying the current one's (a
/// prod process holding a `sk_test_` key). Secrets are never printed, only the matched prefix.
public enum FingerprintCheck {
    /// A database URL to check, with the variable it came from.
    public struct DatabaseCredential: Sendable {
        /// The variable that holds the URL, as problems name it (`DATABASE_URL`, `DATABASE_REPLICA_URLS[2]`).
        public var variable: String
        /// The URL; only PostgreSQL URLs are checked, since a SQLite file carries no fingerprint.
        public var url: DatabaseURL
        /// Where the URL was set, for the problem's location.
        public var source: ValueSource

        /// Creates a credential to check.
        public init(variable: String, url: DatabaseURL, source: ValueSource) {
            self.variable = variable
            self.url = url
            self.source = source
        }
    }

    /// Every fingerprint mismatch of the current environment's credentials, as error problems.
    ///
    /// `environments` is every environment of the project, `current` included. `databases` are checked
    /// against hosts and project refs, `variables` against ``EnvironmentFingerprint/keyPrefixes``. An
    /// empty result means no credential lacks `current`'s marks or carries another environment's.
    /// Messages name the matched host, ref or prefix, never a secret value.
    public static func problems(
        current: EnvironmentDefinition,
        all environments: [EnvironmentDefinition],
        databases: [DatabaseCredential],
        variables: [String: ResolvedVariable]
    ) -> [ConfigurationProblem] {
        let others = environments.filter { $0.name != current.name }
        var problems: [ConfigurationProblem] = []
        for database in databases {
            guard case .postgres(let location) = database.url.kind else { continue }
            let own = current.fingerprint
            if !own.databaseHosts.isEmpty, !own.matchesHost(location.host) {
                problems.append(
                    ConfigurationProblem(
                        subject: database.variable,
                        source: database.source,
                        message:
                            "points at host '\(location.host)', which is not one of \(current.name)'s database hosts (\(own.databaseHosts.joined(separator: ", ")))",
                        hint:
                            "use \(current.name)'s database, or add the host to [environments.\(current.name).fingerprint] database_hosts"
                    )
                )
            }
            if !own.projectRefs.isEmpty, own.matchingRef(in: location) == nil {
                problems.append(
                    ConfigurationProblem(
                        subject: database.variable,
                        source: database.source,
                        message:
                            "does not carry \(current.name)'s project ref (\(own.projectRefs.joined(separator: ", ")))",
                        hint: "use the connection string of \(current.name)'s project"
                    )
                )
            }
            for other in others {
                let hostIsTheirs = other.fingerprint.matchesHost(location.host) && !own.matchesHost(location.host)
                let theirRef = other.fingerprint.matchingRef(in: location)
                let refIsTheirs = theirRef != nil && own.matchingRef(in: location) == nil
                if hostIsTheirs || refIsTheirs {
                    let mark = hostIsTheirs ? "host '\(location.host)'" : "project ref '\(theirRef!)'"
                    problems.append(
                        ConfigurationProblem(
                            subject: database.variable,
                            source: database.source,
                            message:
                                "belongs to environment '\(other.name)' (\(other.tier.rawValue)): its \(mark) matches \(other.name)'s fingerprint, but this process runs as '\(current.name)' (\(current.tier.rawValue))",
                            hint:
                                "point \(database.variable) at \(current.name)'s database; never share databases between environments"
                        )
                    )
                }
            }
        }
        problems += storageProblems(current: current, others: others, variables: variables)
        for (name, prefix) in current.fingerprint.keyPrefixes.sorted(by: { $0.key < $1.key }) {
            guard let variable = variables[name], !variable.value.isEmpty, !variable.value.hasPrefix(prefix) else {
                continue
            }
            let theirs = others.first { other in
                other.fingerprint.keyPrefixes[name].map { variable.value.hasPrefix($0) } ?? false
            }
            let message =
                theirs.map {
                    "starts with '\($0.fingerprint.keyPrefixes[name]!)', the key prefix of environment '\($0.name)' (\($0.tier.rawValue)), but this process runs as '\(current.name)'"
                } ?? "does not start with '\(prefix)', the key prefix of '\(current.name)'"
            problems.append(
                ConfigurationProblem(
                    subject: name,
                    source: variable.source,
                    message: message,
                    hint: "use \(current.name)'s key for \(name)"
                )
            )
        }
        for other in others {
            for (name, prefix) in other.fingerprint.keyPrefixes.sorted(by: { $0.key < $1.key })
            where current.fingerprint.keyPrefixes[name] == nil {
                guard let variable = variables[name], variable.value.hasPrefix(prefix) else { continue }
                problems.append(
                    ConfigurationProblem(
                        subject: name,
                        source: variable.source,
                        message:
                            "starts with '\(prefix)', the key prefix of environment '\(other.name)' (\(other.tier.rawValue)), but this process runs as '\(current.name)'",
                        hint: "use \(current.name)'s key for \(name)"
                    )
                )
            }
        }
        return problems
    }

    /// The object store's bucket (`S3_BUCKET`) and endpoint host (`S3_ENDPOINT`) against
    /// ``EnvironmentFingerprint/storageBuckets`` and ``EnvironmentFingerprint/storageEndpoints``,
    /// the same two ways as a database host: not one of ours, or one of another environment's.
    static func storageProblems(
        current: EnvironmentDefinition,
        others: [EnvironmentDefinition],
        variables: [String: ResolvedVariable]
    ) -> [ConfigurationProblem] {
        let marks: [(variable: String, noun: String, key: String, list: (EnvironmentFingerprint) -> [String], value: (String) -> String?)] = [
            ("S3_BUCKET", "bucket", "storage_buckets", \.storageBuckets, { $0.lowercased() }),
            (
                "S3_ENDPOINT", "storage endpoint", "storage_endpoints", \.storageEndpoints,
                { URLComponents(string: $0)?.host?.lowercased() }
            ),
        ]
        var problems: [ConfigurationProblem] = []
        for mark in marks {
            guard let variable = variables[mark.variable], let value = mark.value(variable.value), !value.isEmpty else {
                continue
            }
            let ours = mark.list(current.fingerprint)
            let isOurs = ours.contains { EnvironmentFingerprint.glob($0, matches: value) }
            if !ours.isEmpty, !isOurs {
                problems.append(
                    ConfigurationProblem(
                        subject: mark.variable,
                        source: variable.source,
                        message: "names \(mark.noun) '\(value)', which is not one of \(current.name)'s (\(ours.joined(separator: ", ")))",
                        hint: "use \(current.name)'s \(mark.noun), or add it to [environments.\(current.name).fingerprint] \(mark.key)"
                    )
                )
            }
            guard !isOurs else { continue }
            for other in others where mark.list(other.fingerprint).contains(where: { EnvironmentFingerprint.glob($0, matches: value) }) {
                problems.append(
                    ConfigurationProblem(
                        subject: mark.variable,
                        source: variable.source,
                        message:
                            "names \(mark.noun) '\(value)' of environment '\(other.name)' (\(other.tier.rawValue)), but this process runs as '\(current.name)' (\(current.tier.rawValue))",
                        hint: "point \(mark.variable) at \(current.name)'s \(mark.noun); never share buckets between environments"
                    )
                )
            }
        }
        return problems
    }
}
