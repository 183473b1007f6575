import ArgumentParser
import Foundation
import WenwexConfig
import WenwexSQL
import WenwexSchema

/// `wenwex db pull`: write the Prisma schema from the primary database, like `prisma db pull`.
struct DbPullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Write the Prisma schema from the primary database (like `prisma db pull`).",
        discussion: """
            Reads the primary database's tables, enums, keys, indexes and foreign keys without \
            changing anything (a SQLite file that does not exist is reported, never created) and \
            writes them as models and enums. An existing schema file keeps its datasource and \
            generator blocks and comments, and the names, client-side defaults (uuid(), cuid(), \
            @updatedAt) and documentation it gave to tables and columns that still exist; its \
            models and enums are replaced. A database stamped for another environment is \
            refused. Exit status: 0 written, 1 the database could not be read or is empty, 2 bad \
            usage or configuration.
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(
        help: """
            The schema file to write (default: prisma/schema.prisma in the project directory).
            """,
        completion: .file(extensions: ["prisma"])
    )
    var schema: String?

    @Flag(name: .customLong("print"), help: "Write the schema to standard output instead of the file.")
    var printOnly = false

    @Flag(help: "Ignore the existing file: write a new datasource and generator and forget its names.")
    var force = false

    @Option(help: "Seconds to wait for the database to answer.")
    var timeout: Int = 5

    func run() async throws {
        let output = Output(json: false)
        var configuration = try project.loadConfiguration(output: output)
        let path = try schemaPath(configuration, output: output)
        // Like Prisma, through the datasource's directUrl when it has one (not a pooler).
        configuration = try DatasourceURLs.preferringDirectURL(configuration, schemaPath: path)
        let existing = force ? nil : try readExisting(path, output: output)
        let primary = configuration.databases.primary
        let introspected = try await introspect(primary, configuration, existing: existing, output: output)
        let result: SchemaPull.Result
        if let existing {
            do {
                result = try SchemaPull.pull(introspected, dialect: dialect(primary), into: existing)
            } catch {
                throw CLIFailure(
                    "\(display(path)): \(error.description)",
                    fix: "make the datasource's provider match \(primary.variable), or pass --force to start afresh",
                    code: .usage
                )
            }
        } else {
            let header = PullHeader(urlVariable: primary.variable)
            result = SchemaPull.pull(introspected, dialect: dialect(primary), header: header)
        }
        for warning in result.warnings { output.error("warning: \(warning)") }
        if printOnly {
            FileHandle.standardOutput.write(Data(result.text.utf8))
            return
        }
        try write(result.text, to: path, output: output)
        let models = "\(result.modelCount) model\(result.modelCount == 1 ? "" : "s")"
        let enums = result.enumCount == 0 ? "" : " and \(result.enumCount) enum\(result.enumCount == 1 ? "" : "s")"
        let database = "\(primary.url.label) (\(primary.url.masked))"
        output.line("Introspected \(models)\(enums) from \(database) and wrote them to \(display(path)).")
    }

    /// `--schema`, else `prisma/schema.prisma` in the project directory. A folder of schema
    /// files is refused: which file should get which model is not ours to guess.
    private func schemaPath(_ configuration: WenwexConfiguration, output: Output) throws -> String {
        let path =
            schema
            ?? configuration.projectDirectory.appendingPathComponent("prisma/schema.prisma").path
        var isDirectory: ObjCBool = false
        let folder = configuration.projectDirectory.appendingPathComponent("prisma/schema").path
        if schema == nil, !FileManager.default.fileExists(atPath: path),
            FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
        {
            throw CLIFailure(
                "the schema is the folder \(folder); db pull writes a single file",
                fix: "pass --schema PATH to write the pulled schema to one .prisma file",
                code: .usage
            )
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CLIFailure(
                "\(path) is a folder; db pull writes a single file",
                fix: "pass --schema PATH to a .prisma file",
                code: .usage
            )
        }
        return path
    }

    /// The existing file, or `nil` when there is none yet.
    private func readExisting(_ path: String, output: Output) throws -> SchemaSource? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw CLIFailure("cannot read \(display(path)) as UTF-8 text", code: .usage)
        }
        let source = SchemaSource(path: display(path), text: text)
        let (_, diagnostics) = SchemaParser.parse(source)
        if diagnostics.hasErrors {
            output.error(DiagnosticRenderer(sources: [source]).render(diagnostics))
            throw CLIFailure(
                "\(display(path)) has syntax errors; nothing was pulled",
                fix: "correct them (wenwex schema validate), or pass --force to replace the file",
                code: .usage
            )
        }
        return source
    }

    /// Reads the primary's schema read-only after the cross-environment guard approves it.
    private func introspect(
        _ primary: DatabaseEndpoints.Endpoint,
        _ configuration: WenwexConfiguration,
        existing: SchemaSource?,
        output: Output
    ) async throws -> SQLSchema {
        let dialect = dialect(primary)
        let schemas = postgresSchemas(primary, existing: existing)
        do {
            let (introspected, warning) = try await GuardedDatabase.withReadOnlySession(
                primary,
                owner: configuration.owner,
                timeout: .seconds(timeout)
            ) { session in
                try await SchemaIntrospection.introspector(for: dialect).introspect(session, schemas: schemas)
            }
            if let warning { output.problems([warning]) }
            guard !introspected.tables.isEmpty || !introspected.enums.isEmpty else {
                let place = schemas.isEmpty ? "" : " in schema \(schemas.joined(separator: ", "))"
                throw CLIFailure(
                    "The introspected database was empty: \(primary.url.label) (\(primary.url.masked)) has no tables\(place).",
                    fix: "create the tables first, or point \(primary.variable) at the database that has them",
                    code: .problem
                )
            }
            return introspected
        } catch let error as ConfigurationError {
            output.problems(error.problems)
            output.error("Refusing to read \(primary.url.label); nothing was written.")
            throw CLIFailure.reported(.usage)
        } catch let error as DatabaseUnavailable {
            output.error("error: \(error.description)")
            if error.isMissingFile {
                output.error(
                    "  fix: point \(primary.variable) at an existing database (db pull never creates one)"
                )
            }
            throw CLIFailure.reported(.problem)
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure(
                "reading the schema of \(primary.url.label) failed: \(DatabaseErrorText.describe(error))",
                code: .problem
            )
        }
    }

    /// PostgreSQL: the existing datasource's `schemas = […]`, else the URL's `?schema=`.
    private func postgresSchemas(_ primary: DatabaseEndpoints.Endpoint, existing: SchemaSource?) -> [String] {
        guard case .postgres(let location) = primary.url.kind else { return [] }
        if let existing {
            let file = SchemaParser.parse(existing).file
            let datasource = file.blocks.first { $0.kind == .datasource }
            let listed = datasource?.property("schemas")?.value.elements.compactMap(\.stringValue) ?? []
            if !listed.isEmpty { return listed }
        }
        return [location.schema]
    }

    /// `path` relative to the current directory when it lies below it.
    private func display(_ path: String) -> String {
        let current = FileManager.default.currentDirectoryPath
        let prefix = current.hasSuffix("/") ? current : current + "/"
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : path
    }

    private func dialect(_ endpoint: DatabaseEndpoints.Endpoint) -> SQLDialect {
        switch endpoint.url.kind {
        case .postgres: .postgres
        case .sqlite: .sqlite
        }
    }

    /// Writes atomically, creating the folder when needed.
    private func write(_ text: String, to path: String, output: Output) throws {
        do {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw CLIFailure("cannot write \(display(path)): \(error.localizedDescription)", code: .usage)
        }
    }
}
