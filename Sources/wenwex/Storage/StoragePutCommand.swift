import ArgumentParser
import Foundation
import WenwexStorage

struct StoragePutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Upload a file (streamed; large files go up in parts)."
    )

    @OptionGroup var project: ProjectOptions

    @Argument(help: "The object's key.") var key: String
    @Argument(help: "The file to upload.", completion: .file()) var file: String

    @Option(help: "The object's Content-Type.") var contentType: String?

    func run() async throws {
        let output = Output(json: false)
        let configuration = try project.loadConfiguration(output: output)
        let store = try await StorageAccess.store(configuration, output: output)
        let objectKey = try StorageAccess.key(key)
        let body = try StorageAccess.fileBody(URL(fileURLWithPath: file))
        do {
            let info = try await store.put(objectKey, body: body, options: PutOptions(contentType: contentType))
            output.line("Stored \(info.key) (\(info.size) bytes).")
        } catch let error as StorageError {
            throw CLIFailure(error.description, code: .problem)
        }
    }
}
