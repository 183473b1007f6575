import ArgumentParser
import Foundation
import WenwexConfig
import WenwexMigrate
import WenwexSQL
import WenwexSchema

/// `wenwex migrate diff`: the difference between any two schema sources.
struct MigrateDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two schemas: a schema file, a migrations folder, a database URL, or empty.",
        discussion: """
            Each of --from and --to is `empty`, a database URL (postgresql://… or file:…), a \
            migrations folder (replayed into a shadow database), or a .prisma file or folder. \
            Prints the changes, or the SQL that makes them with --script. With --exit-code the \
            status is 0 when there is no difference and 1 when there is, so CI can assert that \
            the database matches the schema.
            """
    )

    @Option(help: "Where the comparison starts.")
    var from: String

    @Option(help: "What it should end at.")
    var to: String

    @Flag(help: "Print the SQL migration instead of a summary.")
    var script = false

    @Flag(help: "Exit 1 when there is a difference, 0 when there is none.")
    var exitCode = false

    @Option(help: "A PostgreSQL database to replay migrations folders into (it is emptied first).")
    var shadowDatabaseURL: String?

    @Option(help: "postgresql or sqlite, when no source says which.")
    var provider: String?

    func run() async throws {
        let output = Output(json: false)
        var different = false
        try await MigrateFailure.run(output: output) {
            let sources = [try DiffSource(from), try DiffSource(to)]
            guard let dialect = try dialect(of: sources) else {
                throw ValidationError(
                    "neither source says which database it is for; pass --provider postgresql or sqlite"
                )
            }
            let old = try await sources[0].schema(dialect: dialect, shadow: shadowURL(for: dialect), output: output)
            let new = try await sources[1].schema(dialect: dialect, shadow: shadowURL(for: dialect), output: output)
            let changes = SchemaDiffer.changes(from: old, to: new)
            different = !changes.isEmpty
            if script {
                output.line(dialect.migrationRenderer.render(changes, from: old, to: new).sql, terminator: "")
            } else if changes.isEmpty {
                output.line("No difference detected.")
            } else {
                for change in changes { output.line("- \(change)") }
            }
        }
        if exitCode && different { throw ExitCode(1) }
    }

    private func dialect(of sources: [DiffSource]) throws -> SQLDialect? {
        if let provider {
            switch provider {
            case "postgresql", "postgres": return .postgres
            case "sqlite": return .sqlite
            default: throw ValidationError("--provider must be postgresql or sqlite, not \(provider)")
            }
        }
        for source in sources {
            if let dialect = try source.dialect() { return dialect }
        }
        return nil
    }

    private func shadowURL(for dialect: SQLDialect) throws -> DatabaseURL? {
        guard dialect == .postgres, let shadowDatabaseURL else { return nil }
        return try DatabaseURL(shadowDatabaseURL)
    }
}

/// One side of `migrate diff`.
enum DiffSource {
    case empty
    case database(DatabaseURL)
    case migrations(MigrationDirectory)
    case schema(String)

    init(_ text: String) throws {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if text == "empty" {
            self = .empty
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") || text.hasPrefix("file:")
            || text.hasPrefix("sqlite:")
        {
            self = .database(try DatabaseURL(text, relativeTo: current))
        } else {
            let url = URL(fileURLWithPath: text, relativeTo: current).standardizedFileURL
            let directory = MigrationDirectory(url: url)
            let isMigrations =
                FileManager.default.fileExists(atPath: url.appendingPathComponent(MigrationDirectory.lockFileName).path)
                || ((try? directory.migrations().isEmpty) == false)
            self = isMigrations ? .migrations(directory) : .schema(url.path)
        }
    }

    func dialect() throws -> SQLDialect? {
        switch self {
        case .empty: return nil
        case .database(let url): return url.dialect
        case .migrations(let directory):
            return try directory.lockedProvider().flatMap { $0 == "sqlite" ? .sqlite : .postgres }
        case .schema(let path):
            let check = SchemaCheck(sources: try SchemaLoader.load(path: path))
            return SchemaProvider.dialect(of: check.schema)
        }
    }

    func schema(dialect: SQLDialect, shadow: DatabaseURL?, output: Output) async throws -> SQLSchema {
        switch self {
        case .empty:
            return SQLSchema()
        case .database(let url):
            return try await DatabaseConnector.withSession(url, access: .readOnly) { session in
                try await SchemaIntrospection.introspector(for: session.dialect).introspect(session)
            }
        case .migrations(let directory):
            let files = try directory.migrations(for: dialect)
            let server: DatabaseURL
            switch dialect {
            case .sqlite: server = try DatabaseURL("file::memory:")
            case .postgres:
                guard let shadow else {
                    throw ValidationError("replaying a PostgreSQL migrations folder needs --shadow-database-url")
                }
                server = shadow
            }
            return try await ShadowDatabase.with(beside: server, shadowURL: dialect == .postgres ? server : nil) {
                try await ShadowDatabase.replay(files, into: $0)
            }
        case .schema(let path):
            let check = SchemaCheck(sources: try SchemaLoader.load(path: path))
            if !check.diagnostics.isEmpty { output.error(check.renderedDiagnostics) }
            guard check.isValid else {
                output.error("error: \(path) has errors")
                throw ExitCode(2)
            }
            return SchemaLowering.lower(check.schema, dialect: dialect)
        }
    }
}
