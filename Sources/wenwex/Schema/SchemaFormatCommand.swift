import ArgumentParser
import Foundation
import WenwexSchema

/// `wenwex schema format`: rewrite the schema in Prisma's canonical style.
struct SchemaFormatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format",
        abstract: "Format the Prisma schema in Prisma's canonical style.",
        discussion: """
            Aligns field names, types and attributes, indents by two spaces, puts one blank \
            line between blocks and keeps comments, like `prisma format`. With --check nothing \
            is written: the files that would change are listed and the exit status is 1. A \
            file with syntax errors is never rewritten.
            """
    )

    @OptionGroup var options: SchemaOptions

    @Flag(help: "Write nothing; exit 1 and list the files that are not formatted.")
    var check = false

    func run() async throws {
        let output = Output(json: false)
        let sources = try options.load(output: output)
        var formatted: [(source: SchemaSource, text: String)] = []
        var syntaxErrors: [SchemaDiagnostic] = []
        for source in sources {
            do {
                formatted.append((source, try SchemaFormatter.format(source)))
            } catch {
                syntaxErrors += error.diagnostics
            }
        }
        guard syntaxErrors.isEmpty else {
            options.report(syntaxErrors, sources: sources, output: output)
            output.error("The schema has syntax errors; nothing was formatted.")
            throw CLIFailure.reported(.problem)
        }
        let changed = formatted.filter { $0.source.text != $0.text }
        if check {
            for file in changed { output.line("would reformat \(file.source.path)") }
            if !changed.isEmpty {
                output.error(
                    "\(changed.count) file\(changed.count == 1 ? "" : "s") not formatted; run `wenwex schema format`."
                )
                throw CLIFailure.reported(.problem)
            }
            output.line(
                sources.count == 1
                    ? "\(sources[0].path) is formatted." : "All \(sources.count) schema files are formatted."
            )
            return
        }
        try write(changed, output: output)
    }

    /// Writes every changed file, each atomically, only after all of them formatted.
    private func write(_ changed: [(source: SchemaSource, text: String)], output: Output) throws {
        for file in changed {
            do {
                try file.text.write(toFile: file.source.path, atomically: true, encoding: .utf8)
                output.line("formatted \(file.source.path)")
            } catch {
                throw CLIFailure("cannot write \(file.source.path): \(error.localizedDescription)", code: .problem)
            }
        }
        if changed.isEmpty { output.line("Nothing to change: the schema is formatted.") }
    }
}
