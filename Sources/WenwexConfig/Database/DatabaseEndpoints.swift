import Foundation

/// The databases an environment uses: one primary for writes and any number of read replicas.
public struct DatabaseEndpoints: Sendable, Hashable {
    /// One configured database and where its URL came from.
    public struct Endpoint: Sendable, Hashable {
        /// Whether an endpoint takes writes or only reads.
        public enum Role: String, Sendable, Hashable, Codable {
            /// The database ``DatabaseSettings/urlVariable`` names: writes, transactions and migrations.
            case primary
            /// One entry of the comma-separated ``DatabaseSettings/replicaURLsVariable``: reads only.
            case replica
        }

        /// Whether this is the primary or a read replica.
        public var role: Role
        /// The variable that holds the URL (`DATABASE_URL`, `DATABASE_REPLICA_URLS[2]`).
        public var variable: String
        /// The parsed URL; print it only through its masked forms (``DatabaseURL/masked``,
        /// ``DatabaseURL/label``).
        public var url: DatabaseURL
        /// Where the URL was set (``ValueSource/builtInDefault`` for the dev SQLite fallback); every replica
        /// shares the source of the list variable.
        public var source: ValueSource

        /// Creates an endpoint; the guard checks it like any configured one.
        public init(role: Role, variable: String, url: DatabaseURL, source: ValueSource) {
            self.role = role
            self.variable = variable
            self.url = url
            self.source = source
        }
    }

    /// The database writes go to; always present, since loading fails in staging and prod without one.
    public var primary: Endpoint
    /// The read replicas in the order the list variable names them; empty when none are configured.
    public var replicas: [Endpoint]

    /// Creates the endpoints, for tests and tools that route without a loaded configuration.
    public init(primary: Endpoint, replicas: [Endpoint]) {
        self.primary = primary
        self.replicas = replicas
    }

    /// The primary first, then the replicas in order: what checks walk over.
    public var all: [Endpoint] { [primary] + replicas }

    /// Reads the primary and replica URLs; a missing primary falls back to the SQLite file in
    /// dev and is an error in staging and prod.
    static func resolve(
        settings: DatabaseSettings,
        variables: [String: ResolvedVariable],
        tier: Tier,
        projectDirectory: URL
    ) -> (endpoints: DatabaseEndpoints?, problems: [ConfigurationProblem]) {
        var problems: [ConfigurationProblem] = []
        var primary: Endpoint?
        if let variable = variables[settings.urlVariable], !variable.value.isEmpty {
            primary = endpoint(
                .primary,
                settings.urlVariable,
                variable.value,
                variable.source,
                projectDirectory,
                &problems
            )
        } else if tier == .dev {
            primary = endpoint(
                .primary,
                settings.urlVariable,
                settings.devDefaultURL,
                .builtInDefault,
                projectDirectory,
                &problems
            )
        } else {
            problems.append(
                ConfigurationProblem(
                    subject: settings.urlVariable,
                    source: nil,
                    message:
                        "is required in \(tier.rawValue) but is not set; expected postgresql://user:password@host:5432/database or file:./path.db",
                    hint:
                        "set \(settings.urlVariable) in the process environment (or a .env.<environment>.local file that is not committed)"
                )
            )
        }
        var replicas: [Endpoint] = []
        if let variable = variables[settings.replicaURLsVariable] {
            let items = variable.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for (offset, item) in items.enumerated() where !item.isEmpty {
                let name = "\(settings.replicaURLsVariable)[\(offset + 1)]"
                if let replica = endpoint(.replica, name, item, variable.source, projectDirectory, &problems) {
                    replicas.append(replica)
                }
            }
        }
        return (primary.map { DatabaseEndpoints(primary: $0, replicas: replicas) }, problems)
    }

    private static func endpoint(
        _ role: Endpoint.Role,
        _ variable: String,
        _ text: String,
        _ source: ValueSource,
        _ projectDirectory: URL,
        _ problems: inout [ConfigurationProblem]
    ) -> Endpoint? {
        do {
            let url = try DatabaseURL(text, relativeTo: projectDirectory)
            return Endpoint(role: role, variable: variable, url: url, source: source)
        } catch {
            problems.append(
                ConfigurationProblem(
                    subject: variable,
                    source: source,
                    message: "'\(SecretMasker.maskingCredentials(in: text))' is not a database URL: \(error.reason)",
                    hint: "write postgresql://user:password@host:5432/database?schema=public or file:./dev.db"
                )
            )
            return nil
        }
    }
}
