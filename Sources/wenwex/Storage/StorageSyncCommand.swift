import ArgumentParser
import Foundation
import WenwexConfig
import WenwexStorage

struct StorageSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Copy objects from one store to another, verified by checksum and resumable.",
        discussion: """
            --from and --to name an environment (its configured store) or a directory (a \
            filesystem store). Objects the destination already has with the same SHA-256 are \
            skipped, so a sync that stopped continues where it stopped. Each store keeps its own \
            identity stamp; a destination stamped for another environment is refused.
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "The source: an environment name, or a directory.") var from: String
    @Option(help: "The destination: an environment name, or a directory.") var to: String
    @Option(help: "Only keys that start with this.") var prefix = ""

    func run() async throws {
        let output = Output(json: false)
        let source = try await resolve(from, output: output)
        let destination = try await resolve(to, output: output)
        let report = try await StoreSync(from: source, to: destination).run(prefix: prefix) { key, copied in
            output.progress("\(copied ? "copied " : "skipped") \(key)")
        }
        output.endProgress()
        output.line(
            "Copied \(report.copied) object(s) (\(report.bytes) bytes), skipped \(report.skipped) already in place."
        )
    }

    /// A directory (it contains a `/` or starts with `.`), else an environment's store.
    func resolve(_ spec: String, output: Output) async throws -> any ObjectStore {
        if spec.contains("/") || spec.hasPrefix(".") {
            return try FilesystemObjectStore(root: URL(fileURLWithPath: spec))
        }
        var options = project
        options.env = spec
        let configuration = try options.loadConfiguration(output: output)
        return try await StorageAccess.store(configuration, output: output)
    }
}
