import ArgumentParser
import Foundation
import WenwexOps
import WenwexSQL

/// `wenwex init`: what `prisma init` and `supabase init` are to their users.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a Wenwex project, or adopt an existing Prisma project where it is.",
        discussion: """
            In a folder without a Prisma schema: writes wenwex.toml (dev, staging and prod, a \
            starter variable schema), prisma/schema.prisma with a first model, .env.example, \
            .env.dev and the .gitignore lines, then prints the next steps.

            In a Prisma project (detected, or --adopt): finds the schema (package.json's \
            prisma.schema, prisma/schema.prisma, the folder prisma/schema, or schema.prisma), \
            its migrations folder, its provider and the variable its url reads, and writes a \
            wenwex.toml that uses them where they are.

            Nothing is moved or overwritten: an existing file is reported and left alone, and \
            .gitignore only gains the lines it lacks.
            """
    )

    @Option(
        name: [.customShort("C"), .long],
        help: "The project directory (default: the current one).",
        completion: .directory
    )
    var projectDir: String?

    @Flag(help: "Adopt an existing Prisma project; fails when none is found.")
    var adopt = false

    @Flag(help: "Write a new project even when a Prisma schema is present.")
    var new = false

    @Option(help: "The new project's database: postgresql (SQLite for the embedded dev default) or sqlite.")
    var provider = "postgresql"

    func validate() throws {
        if adopt && new { throw ValidationError("--adopt and --new contradict each other; give one") }
        guard ["postgresql", "postgres", "sqlite"].contains(provider) else {
            throw ValidationError("--provider must be postgresql or sqlite, not '\(provider)'")
        }
    }

    func run() throws {
        let output = Output(json: false)
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let directory = projectDir.map { URL(fileURLWithPath: $0, relativeTo: current).standardizedFileURL } ?? current
        let outcome: ProjectInitializer.Outcome
        do {
            outcome = try ProjectInitializer(directory: directory).run(
                adopt: adopt ? true : (new ? false : nil),
                provider: provider == "sqlite" ? .sqlite : .postgres
            )
        } catch {
            throw CLIFailure(error.description, fix: error.fix, code: .usage)
        }
        switch outcome.mode {
        case .new(let dialect):
            output.line(
                "Started a Wenwex project in \(directory.path) (\(dialect == .postgres ? "PostgreSQL" : "SQLite"))."
            )
        case .adopt(let project):
            output.line("Adopted the Prisma project in \(directory.path):")
            output.line("  schema      \(project.schemaPath)\(project.schemaIsFolder ? "/ (a schema folder)" : "")")
            output.line("  migrations  \(project.migrationsPath)\(project.migrationsExist ? "" : " (not created yet)")")
            output.line("  provider    \(project.providerName ?? "-")")
            output.line("  database    \(project.urlVariable ?? "DATABASE_URL")")
            output.line(
                "  dotenv      \(project.dotenvFiles.isEmpty ? "none" : project.dotenvFiles.joined(separator: ", "))"
            )
        }
        for file in outcome.files {
            switch file.action {
            case .created: output.line("  created   \(file.path)")
            case .keptExisting: output.line("  kept      \(file.path) (exists; left alone)")
            case .appended(let lines): output.line("  updated   \(file.path) (added \(lines.joined(separator: " ")))")
            }
        }
        for note in outcome.notes { output.line("note: \(note)") }
        output.line("\nNext steps:")
        for step in outcome.nextSteps { output.line("  \(step)") }
    }
}
