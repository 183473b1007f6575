import ArgumentParser
import Foundation
import WenwexConfig

/// `wenwex env show`: the resolved configuration, every value with its source, secrets masked.
struct EnvShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the resolved configuration with the source of every value (secrets masked)."
    )

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let output = Output(json: json)
        let configuration = try project.loadConfiguration(output: output)
        let entries = configuration.listing()
        if json {
            output.emit(
                ShowReport(
                    project: configuration.project.projectName,
                    environment: configuration.environment.name,
                    tier: configuration.environment.tier.rawValue,
                    loadedFiles: configuration.layers.loadedFiles,
                    variables: entries,
                    databases: configuration.databases.all.map {
                        ShowReport.Database(
                            role: $0.role.rawValue,
                            variable: $0.variable,
                            url: $0.url.masked,
                            source: $0.source.description
                        )
                    }
                )
            )
            return
        }
        output.line(
            "# project \(configuration.project.projectName), environment \(configuration.environment.name) (tier \(configuration.environment.tier.rawValue))"
        )
        let nameWidth = entries.map(\.name.count).max() ?? 0
        let valueWidth = min(entries.map { ($0.value ?? "(unset)").count }.max() ?? 0, 60)
        for entry in entries {
            let value = entry.value ?? "(unset)"
            let name = entry.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let padded =
                value.count < valueWidth ? value.padding(toLength: valueWidth, withPad: " ", startingAt: 0) : value
            output.line("\(name)  \(padded)  # \(entry.source ?? "not set")")
        }
        for replica in configuration.databases.replicas {
            output.line("# replica \(replica.variable): \(replica.url.masked)")
        }
        output.problems(configuration.warnings)
    }
}

private struct ShowReport: Encodable {
    struct Database: Encodable {
        var role: String
        var variable: String
        var url: String
        var source: String
    }

    var project: String
    var environment: String
    var tier: String
    var loadedFiles: [String]
    var variables: [ConfigurationEntry]
    var databases: [Database]
}
