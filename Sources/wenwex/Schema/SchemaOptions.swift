import ArgumentParser
import Foundation
import WenwexSchema

/// The `--schema` option the schema commands share, and reading the schema it names.
struct SchemaOptions: ParsableArguments {
    @Option(
        help: """
            The schema file, or a folder of .prisma files (default: prisma/schema.prisma, \
            else the folder prisma/schema).
            """,
        completion: .file(extensions: ["prisma"])
    )
    var schema: String?

    /// The path to read: `--schema`, else the first of Prisma's default locations that exists.
    func resolvedPath() -> String {
        if let schema { return schema }
        let candidates = ["prisma/schema.prisma", "prisma/schema"]
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
    }

    /// Reads the schema's files, or prints why not and exits with status 2.
    func load(output: Output) throws -> [SchemaSource] {
        let path = resolvedPath()
        do {
            return try SchemaLoader.load(path: path, relativeTo: FileManager.default.currentDirectoryPath)
        } catch {
            throw CLIFailure(
                "\(error.description)",
                fix: "pass the schema with --schema PATH (a .prisma file or a folder of them)",
                code: .usage
            )
        }
    }

    /// Prints diagnostics with caret snippets to standard error, errors before warnings.
    func report(_ diagnostics: [SchemaDiagnostic], sources: [SchemaSource], output: Output) {
        guard !diagnostics.isEmpty else { return }
        output.error(DiagnosticRenderer(sources: sources).render(diagnostics))
        output.error("")
    }
}
