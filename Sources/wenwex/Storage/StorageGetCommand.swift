import ArgumentParser
import Foundation
import WenwexStorage

struct StorageGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Download an object to a file, or to standard output with -."
    )

    @OptionGroup var project: ProjectOptions

    @Argument(help: "The object's key.") var key: String
    @Argument(help: "Where to write it (default: its last path segment; - for standard output).") var file: String?

    func run() async throws {
        let output = Output(json: false)
        let configuration = try project.loadConfiguration(output: output)
        let store = try await StorageAccess.store(configuration, output: output)
        let objectKey = try StorageAccess.key(key)
        let download: ObjectDownload
        do {
            download = try await store.get(objectKey)
        } catch let error as StorageError {
            throw CLIFailure(error.description, code: .problem)
        }
        let destination = file ?? String(objectKey.segments.last ?? "object")
        if destination == "-" {
            for try await buffer in download.body {
                FileHandle.standardOutput.write(Data(buffer.readableBytesView))
            }
            return
        }
        let url = URL(fileURLWithPath: destination)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).part")
        // FileHandle(forWritingTo:) opens only a file that exists; it names the path if this failed.
        _ = FileManager.default.createFile(atPath: temporary.path, contents: nil)
        let handle = try FileHandle(forWritingTo: temporary)
        do {
            for try await buffer in download.body { try handle.write(contentsOf: Data(buffer.readableBytesView)) }
            try handle.close()
            if FileManager.default.fileExists(atPath: url.path) {
                _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary)
            } else {
                try FileManager.default.moveItem(at: temporary, to: url)
            }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw CLIFailure("downloading \(objectKey) failed: \(error)", code: .problem)
        }
        output.line("Wrote \(download.info.size) bytes to \(url.path).")
    }
}
