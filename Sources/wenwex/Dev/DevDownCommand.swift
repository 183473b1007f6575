import ArgumentParser
import Foundation
import WenwexOps

struct DevDownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Stop the local PostgreSQL; its data is kept unless --wipe."
    )

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Delete the cluster's data and its URLs in .env.dev.local (dev data is safe to wipe).")
    var wipe = false

    func run() async throws {
        let output = Output(json: false)
        let configuration = try project.loadConfiguration(output: output)
        try await MigrateFailure.run(output: output) {
            let cluster = try DevCluster.cluster(configuration)
            if wipe {
                try await cluster.wipe { output.line($0) }
                let database = configuration.project.database
                try DevEnvFile(projectDirectory: configuration.projectDirectory).update([
                    (database.urlVariable, nil), (database.replicaURLsVariable, nil),
                ])
                output.line("Wiped the dev cluster and its URLs in \(DevEnvFile.fileName).")
            } else {
                let stopped = try await cluster.down { output.line($0) }
                output.line(
                    stopped.isEmpty ? "Nothing was running." : "Stopped; the data is kept in \(cluster.directory.path)."
                )
            }
        }
    }
}
