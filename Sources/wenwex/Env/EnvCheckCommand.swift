import ArgumentParser
import WenwexConfig
import WenwexSQL

/// `wenwex env check`: validate the configuration, then verify each reachable database's stamp.
struct EnvCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration and verify that every database belongs to this environment.",
        discussion: """
            Validates every variable of the schema and the database URLs, checks credentials \
            against the environments' fingerprints, then connects to each configured database \
            that answers and verifies its identity stamp. Exits 0 when everything is in order, \
            2 with every problem listed otherwise.
            """
    )

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Skip connecting to the databases.")
    var offline = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Option(help: "Seconds to wait for each database to answer.")
    var timeout: Int = 5

    func run() async throws {
        let output = Output(json: json)
        let configuration = try project.loadConfiguration(output: output)
        let results =
            offline
            ? []
            : await DatabaseIdentityCheck.check(
                configuration.databases,
                owner: configuration.owner,
                timeout: .seconds(timeout)
            )
        let problems = configuration.warnings + results.flatMap(\.problems)
        let failed = problems.contains { $0.severity == .error }
        if json {
            output.emit(
                CheckReport(
                    ok: !failed,
                    project: configuration.project.projectName,
                    environment: configuration.environment.name,
                    tier: configuration.environment.tier.rawValue,
                    databases: results,
                    problems: problems
                )
            )
        } else {
            printSummary(configuration, results: results, output: output)
            output.problems(problems)
            let count = problems.filter { $0.severity == .error }.count
            output.line(
                failed
                    ? "\(count) problem\(count == 1 ? "" : "s") found: refusing \(configuration.environment.name)."
                    : "Configuration for \(configuration.environment.name) is valid."
            )
        }
        if failed { throw CLIFailure.reported(.usage) }
    }

    private func printSummary(_ configuration: WenwexConfiguration, results: [DatabaseCheckResult], output: Output) {
        let environment = configuration.environment
        output.line("project      \(configuration.project.projectName)")
        output.line("environment  \(environment.name) (tier \(environment.tier.rawValue))")
        let files = configuration.layers.loadedFiles
        output.line("dotenv files \(files.isEmpty ? "none" : files.joined(separator: ", "))")
        output.line("variables    \(configuration.schema.variables.count) declared, all valid")
        if offline {
            for endpoint in configuration.databases.all {
                output.line("database     \(endpoint.variable) \(endpoint.url.masked) (not contacted: --offline)")
            }
            return
        }
        for result in results {
            output.line("database     \(result.variable) \(result.database): \(describe(result))")
        }
    }

    private func describe(_ result: DatabaseCheckResult) -> String {
        guard result.reachable else {
            return "not reachable (\(result.detail ?? "unknown reason")), stamp not verified"
        }
        let role = result.inRecovery == true ? "replica, " : ""
        guard let stamp = result.stamp else { return "\(role)reachable, not stamped" }
        let verdict = result.problems.contains { $0.severity == .error } ? "REFUSED" : "ok"
        return
            "\(role)stamped for \(stamp.project)/\(stamp.environment) (\(stamp.tier.rawValue)), instance \(stamp.instanceID.prefix(8)): \(verdict)"
    }
}

private struct CheckReport: Encodable {
    var ok: Bool
    var project: String
    var environment: String
    var tier: String
    var databases: [DatabaseCheckResult]
    var problems: [ConfigurationProblem]
}
