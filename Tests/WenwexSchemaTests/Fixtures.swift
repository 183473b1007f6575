import Foundation
import WenwexSchema

/// The fixture corpus under `Fixtures/`, copied into the test bundle.
enum Fixtures {
    static var root: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// A fixture file's text.
    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }

    /// A fixture as a source named by its file name (as diagnostics name it).
    static func source(_ relativePath: String) throws -> SchemaSource {
        SchemaSource(path: url(relativePath).lastPathComponent, text: try text(relativePath))
    }

    /// The names of the `.prisma` files in a fixture folder, sorted.
    static func files(in folder: String, suffix: String = ".prisma") -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(folder).path)) ?? []
        return names.filter { $0.hasSuffix(suffix) && !$0.hasSuffix(".expected.prisma") }.sorted()
    }
}
