import ArgumentParser
import Foundation
import WenwexStorage

struct StorageListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List objects by key prefix.")

    @OptionGroup var project: ProjectOptions

    @Argument(help: "Only keys that start with this.")
    var prefix = ""

    @Option(help: "At most this many objects (0: all).")
    var limit = 0

    func run() async throws {
        let output = Output(json: false)
        let configuration = try project.loadConfiguration(output: output)
        let store = try await StorageAccess.store(configuration, output: output)
        var shown = 0
        var token: String?
        repeat {
            let page = try await store.list(prefix: prefix, token: token, limit: 1000)
            for object in page.objects {
                guard limit == 0 || shown < limit else { return }
                output.line(
                    "\(String(object.size).padding(toLength: 12, withPad: " ", startingAt: 0)) \(object.etag.prefix(16))  \(object.key)"
                )
                shown += 1
            }
            token = page.nextToken
        } while token != nil
    }
}
