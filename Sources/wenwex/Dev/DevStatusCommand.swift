import ArgumentParser
import Foundation
import WenwexOps

struct DevStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the local PostgreSQL's nodes, their URLs and the replicas' lag.",
        discussion: "Exits 0 when every node runs, 1 when one is stopped or there is no cluster."
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        let output = Output(json: false)
        let configuration = try project.loadConfiguration(output: output)
        let cluster = try DevCluster.cluster(configuration)
        let nodes = await cluster.status()
        guard !nodes.isEmpty else {
            throw CLIFailure(
                "there is no dev cluster in \(cluster.directory.path)",
                fix: "run `wenwex dev up`",
                code: .problem
            )
        }
        for status in nodes {
            let lag: String =
                if status.isPrimary { "" } else if let bytes = status.lagBytes { "  lag \(bytes) bytes" } else { "" }
            output.line(
                "\(status.node.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(status.isPrimary ? "primary" : "replica")  \(status.isRunning ? "running" : "stopped")  \(status.url)\(lag)"
            )
        }
        if nodes.contains(where: { !$0.isRunning }) { throw CLIFailure.reported(.problem) }
    }
}
