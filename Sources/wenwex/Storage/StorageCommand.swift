import ArgumentParser
import Foundation
import NIOCore
import WenwexConfig
import WenwexStorage

/// `wenwex storage`: operators' access to an environment's object store.
struct StorageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "List, copy, remove and stamp objects in an environment's object store, or sync two stores.",
        discussion: """
            The store is the environment's: STORAGE_BACKEND (filesystem, the default, under \
            STORAGE_DIR; or s3 with S3_BUCKET, S3_REGION, S3_ENDPOINT, S3_ACCESS_KEY_ID, \
            S3_SECRET_ACCESS_KEY). Every command but stamp runs the cross-environment guard first: \
            a bucket stamped for another environment is refused.
            """,
        subcommands: [
            StorageListCommand.self, StoragePutCommand.self, StorageGetCommand.self, StorageRemoveCommand.self,
            StorageStampCommand.self, StorageSyncCommand.self,
        ]
    )
}

/// The environment's store, after the guard.
enum StorageAccess {
    static func store(_ configuration: WenwexConfiguration, output: Output) async throws -> any ObjectStore {
        do {
            let (store, warnings) = try await StorageFactory.makeGuarded(for: configuration)
            output.problems(warnings)
            return store
        } catch let error as ConfigurationError {
            output.problems(error.problems)
            throw CLIFailure.reported(.usage)
        } catch let error as StorageError {
            throw CLIFailure(error.description, code: .problem)
        }
    }

    static func key(_ text: String) throws -> ObjectKey {
        do { return try ObjectKey(text) } catch {
            throw CLIFailure(error.description, fix: "use a relative key such as images/a.png", code: .usage)
        }
    }

    /// A file's bytes as a stream of 1 MiB buffers.
    static func fileBody(_ url: URL) throws -> ObjectBody {
        do { return try ObjectBody.file(url) } catch {
            throw CLIFailure("cannot read \(url.path): \(error.localizedDescription)", code: .usage)
        }
    }
}
