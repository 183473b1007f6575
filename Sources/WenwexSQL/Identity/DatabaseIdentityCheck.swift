public import WenwexConfig

/// What `wenwex env check` found for one configured database.
public struct DatabaseCheckResult: Sendable, Codable {
    /// Whether the database is the primary or a replica.
    public var role: DatabaseEndpoints.Endpoint.Role
    /// The variable that names the database (`DATABASE_URL`, `DATABASE_REPLICA_URLS[1]`).
    public var variable: String
    /// The URL, masked.
    public var database: String
    /// Whether a session opened; an unreachable database gets a ``detail`` but no problem.
    public var reachable: Bool
    /// Why it was not reachable, or a note about it.
    public var detail: String?
    /// The identity stamp read from the database; `nil` when it has none, was not reachable, or could
    /// not be read.
    public var stamp: IdentityStamp?
    /// `true` on a PostgreSQL standby (a streaming replica).
    public var inRecovery: Bool?
    /// The guard's refusal or warning, a stamp that could not be read, or a replica of another
    /// cluster; anything that must stop a process has severity `.error`.
    public var problems: [ConfigurationProblem]
}

/// Connects to every configured database that answers and verifies its identity stamp.
///
/// Read-only: it never creates a SQLite file or writes a stamp. A replica must carry the same
/// stamp (same instance id) as its primary: a replica URL that leads to another cluster is as
/// dangerous as a wrong primary.
public enum DatabaseIdentityCheck {
    /// Checks every endpoint in order, primary first, one at a time and read-only.
    ///
    /// A database that cannot be reached is reported through ``DatabaseCheckResult/reachable`` and
    /// ``DatabaseCheckResult/detail`` only, never as a problem; one that answers but whose stamp cannot
    /// be read is an error, and so is a replica whose instance id differs from the primary's. `timeout`
    /// bounds each PostgreSQL connection attempt.
    public static func check(
        _ endpoints: DatabaseEndpoints,
        owner: DatabaseOwner,
        timeout: Duration = .seconds(10)
    ) async -> [DatabaseCheckResult] {
        var results: [DatabaseCheckResult] = []
        for endpoint in endpoints.all {
            results.append(await check(endpoint, owner: owner, timeout: timeout))
        }
        guard let primaryID = results.first?.stamp?.instanceID else { return results }
        for index in results.indices.dropFirst() {
            guard let stamp = results[index].stamp, stamp.instanceID != primaryID,
                !results[index].problems.contains(where: { $0.severity == .error })
            else { continue }
            results[index].problems.append(
                ConfigurationProblem(
                    subject: results[index].variable,
                    location: nil,
                    message:
                        "is not a replica of the primary: its instance id \(stamp.instanceID) differs from the primary's \(primaryID)",
                    hint: "list only streaming replicas of \(endpoints.primary.variable) in the replica URLs"
                )
            )
        }
        return results
    }

    static func check(
        _ endpoint: DatabaseEndpoints.Endpoint,
        owner: DatabaseOwner,
        timeout: Duration
    ) async -> DatabaseCheckResult {
        var result = DatabaseCheckResult(
            role: endpoint.role,
            variable: endpoint.variable,
            database: endpoint.url.masked,
            reachable: false,
            problems: []
        )
        do {
            try await DatabaseConnector.withSession(endpoint.url, access: .readOnly, timeout: timeout) { session in
                result.reachable = true
                if session.dialect == .postgres {
                    result.inRecovery =
                        try await session.queryText("SELECT pg_is_in_recovery()::text").first?.first == "true"
                }
                result.stamp = try await IdentityStampStore(session: session, url: endpoint.url).read()
            }
        } catch let error as DatabaseUnavailable {
            result.detail = error.isMissingFile ? "the SQLite file does not exist yet" : error.reason
            return result
        } catch {
            result.detail = DatabaseErrorText.describe(error)
            result.problems.append(
                ConfigurationProblem(
                    subject: endpoint.variable,
                    location: nil,
                    message:
                        "\(endpoint.url.label) answered, but its identity stamp could not be read: \(result.detail!)",
                    hint: "check that the user may read \(IdentityStampStore.tableName)"
                )
            )
            return result
        }
        switch CrossEnvironmentGuard.verify(stamp: result.stamp, owner: owner, database: label(endpoint)) {
        case .owned:
            break
        case .unstamped(let warning):
            result.problems.append(warning)
        case .refused(let problem):
            result.problems.append(problem)
        }
        return result
    }

    /// How problems name an endpoint: its variable and masked URL,
    /// `DATABASE_URL (postgresql://app:****@db/app)`.
    public static func label(_ endpoint: DatabaseEndpoints.Endpoint) -> String {
        "\(endpoint.variable) (\(endpoint.url.masked))"
    }
}
