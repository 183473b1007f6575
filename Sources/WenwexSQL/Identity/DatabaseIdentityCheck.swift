public import WenwexConfig

/// What `wenwex env check` found for one configured database.
public struct DatabaseCheckResult: Sendable, Codable {
    public var role: DatabaseEndpoints.Endpoint.Role
    public var variable: String
    /// The URL, masked.
    public var database: String
    public var reachable: Bool
    /// Why it was not reachable, or a note about it.
    public var detail: String?
    public var stamp: IdentityStamp?
    /// `true` on a PostgreSQL standby (a streaming replica).
    public var inRecovery: Bool?
    public var problems: [ConfigurationProblem]
}

/// Connects to every configured database that answers and verifies its identity stamp.
///
/// Read-only: it never creates a SQLite file or writes a stamp. A replica must carry the same
/// stamp (same instance id) as its primary: a replica URL that leads to another cluster is as
/// dangerous as a wrong primary.
public enum DatabaseIdentityCheck {
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

    public static func label(_ endpoint: DatabaseEndpoints.Endpoint) -> String {
        "\(endpoint.variable) (\(endpoint.url.masked))"
    }
}
