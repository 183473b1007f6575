import ArgumentParser
import Foundation

struct DevUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Start the local PostgreSQL (creating it on first use) and write its URLs to .env.dev.local."
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "Streaming replicas to have (existing ones are kept and started).")
    var replicas = 0

    @Flag(help: "Print the URLs instead of writing .env.dev.local.")
    var print = false

    func validate() throws {
        guard (0...8).contains(replicas) else { throw ValidationError("--replicas must be 0 to 8, not \(replicas)") }
    }

    func run() async throws {
        let output = Output(json: false)
        let configuration = try project.loadConfiguration(output: output)
        try await MigrateFailure.run(output: output) {
            _ = try await DevCluster.up(configuration, replicas: replicas, print: print, output: output)
        }
    }
}
