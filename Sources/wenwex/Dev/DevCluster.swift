import Foundation
import WenwexConfig
import WenwexOps
import WenwexSQL

/// What `wenwex dev up` and `wenwex up --postgres` share: bring the project's local cluster up,
/// stamp it for dev, and publish its URLs.
enum DevCluster {
    static func cluster(_ configuration: WenwexConfiguration) throws -> LocalPostgres {
        let tools: PostgresServerTools
        do {
            tools = try PostgresServerTools.locate()
        } catch {
            throw CLIFailure(error.description, fix: error.fix, code: .problem)
        }
        return LocalPostgres(
            directory: configuration.projectDirectory.appendingPathComponent(".wenwex/postgres"),
            tools: tools
        )
    }

    /// Starts (creating when needed) the cluster, stamps its database for dev, and writes the
    /// URLs to `.env.dev.local` unless `print`, in which case it prints them.
    static func up(
        _ configuration: WenwexConfiguration,
        replicas: Int,
        print: Bool,
        output: Output
    ) async throws -> LocalPostgres.State {
        try TierGuard.requireTier([.dev], for: "wenwex dev up", in: configuration.environment)
        let cluster = try cluster(configuration)
        let state: LocalPostgres.State
        do {
            state = try await cluster.up(
                replicas: replicas,
                database: LocalPostgres.databaseName(forProject: configuration.project.projectName)
            ) { output.line($0) }
        } catch let failure as PostgresServerTools.ToolFailure {
            throw CLIFailure(
                failure.description,
                fix: PostgresServerTools.runsAsPostgresUser && failure.lastLines.contains("ermission denied")
                    ? "as root, the servers run as the postgres user: every directory above \(cluster.directory.path) must be searchable by it (chmod o+x)"
                    : "read the log's last lines above; `wenwex dev down --wipe` starts over with an empty cluster",
                code: .problem
            )
        }
        let primary = cluster.url(state.primary, database: state.database)
        let replicaURLs = state.replicas.map { cluster.url($0, database: state.database) }
        let endpoint = DatabaseEndpoints.Endpoint(
            role: .primary,
            variable: configuration.project.database.urlVariable,
            url: try DatabaseURL(primary),
            source: .dotenv(path: DevEnvFile.fileName, line: 0)
        )
        if case .stamped = try await DatabaseStamper.stamp(
            endpoint,
            owner: configuration.owner,
            confirmation: TerminalConfirmation(assumeYes: true)
        ) {
            output.line("Stamped \(state.database) for dev.")
        }
        let database = configuration.project.database
        if print {
            output.line("\(database.urlVariable)=\"\(primary)\"")
            output.line("\(database.replicaURLsVariable)=\"\(replicaURLs.joined(separator: ","))\"")
        } else {
            try DevEnvFile(projectDirectory: configuration.projectDirectory).update([
                (database.urlVariable, primary),
                (database.replicaURLsVariable, replicaURLs.isEmpty ? nil : replicaURLs.joined(separator: ",")),
            ])
            output.line("Dev PostgreSQL is up: \(primary)")
            for (node, url) in zip(state.replicas, replicaURLs) { output.line("  \(node.name)  \(url)") }
            output.line("URLs written to \(DevEnvFile.fileName).")
            if configuration.layers.variables[database.urlVariable]?.source == .processEnvironment {
                output.error(
                    "warning: \(database.urlVariable) is set in the process environment, which wins over \(DevEnvFile.fileName); unset it to use the local cluster"
                )
            }
        }
        return state
    }
}
