import ArgumentParser
import WenwexSchema

/// `wenwex schema validate`: check the schema against Prisma's rules.
struct SchemaValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the Prisma schema for syntax and validation errors.",
        discussion: """
            Reads the schema (one file or a folder of .prisma files), reports every error and \
            warning with file:line:column and the offending line, and exits 0 when the schema \
            is valid (warnings allowed), 1 when it has errors, 2 when it cannot be read.
            """
    )

    @OptionGroup var options: SchemaOptions

    func run() async throws {
        let output = Output(json: false)
        let sources = try options.load(output: output)
        let check = SchemaCheck(sources: sources)
        options.report(check.diagnostics, sources: sources, output: output)
        let errors = check.errors.count
        let warnings = check.warnings.count
        let files = sources.count == 1 ? sources[0].path : "\(sources.count) files"
        if errors > 0 {
            output.error(
                "\(errors) error\(errors == 1 ? "" : "s")\(warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "") in \(files): the schema is not valid."
            )
            throw CLIFailure.reported(.problem)
        }
        output.line(
            "The schema at \(files) is valid\(warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : "")."
        )
    }
}
