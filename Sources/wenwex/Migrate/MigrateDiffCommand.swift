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
            status is Prisma's: 0 when there is no difference, 2 when there is, and 1 when the \
            comparison failed, so CI can assert that the database matches the schema. Prisma's spellings work too (--from-empty, \
            --from-url, --from-schema-datamodel / --from-schema, --from-migrations, \
            --from-schema-datasource and their --to-* twins), so `npx prisma migrate diff …` in a \
            script becomes `wenwex migrate diff …`. Objects schema.prisma cannot express \
            (hand-written extensions, partial and expression indexes, triggers, functions, views, \
            policies) are listed as kept and never dropped unless --drop-unmanaged is given.
            """
    )

    @Option(help: "Where the comparison starts.")
    var from: String?

    @Option(help: "What it should end at.")
    var to: String?

    @OptionGroup var prismaSides: PrismaDiffSides

    @Flag(help: "Print the SQL migration instead of a summary.")
    var script = false

    @Flag(help: "Exit 2 when there is a difference, 0 when there is none, 1 on an error (as Prisma does).")
    var exitCode = false

    @Option(help: "A PostgreSQL database to replay migrations folders into (it is emptied first).")
    var shadowDatabaseURL: String?

    @Option(help: "postgresql or sqlite, when no source says which.")
    var provider: String?

    @Flag(help: "Also plan drops of objects schema.prisma cannot express (hand-written SQL in migrations).")
    var dropUnmanaged = false

    /// `--from`/`--to`, or exactly one of Prisma's flags for each side. Checked in `run()`, not
    /// `validate()`: argument-parser validates before it reports an unknown option, and a
    /// mistyped `--to-schema-datamode` must be named as such, not as a missing side.
    private func sides() throws -> (from: String, to: String) {
        let fromFlags = prismaSides.from
        let toFlags = prismaSides.to
        guard let start = try side(from, fromFlags, "from"), let end = try side(to, toFlags, "to") else {
            throw ValidationError("pass --from and --to (or Prisma's --from-* and --to-* flags)")
        }
        return (start, end)
    }

    private func side(_ plain: String?, _ prisma: [String], _ name: String) throws -> String? {
        let all = (plain.map { [$0] } ?? []) + prisma
        guard all.count <= 1 else {
            throw ValidationError("give one --\(name) source, not \(all.count)")
        }
        return all.first
    }

    /// Under `--exit-code`, bad usage exits 1, not 2 (`Wenwex.differenceSafe`).
    func run() async throws {
        // Checked before the comparison, whose failures are the database's (status 1): a
        // missing side is bad usage (2).
        let (from, to) = try sides()
        let different = try await compare(from: from, to: to)
        if exitCode && different { throw ExitCode(Self.differenceStatus) }
    }

    /// What `prisma migrate diff --exit-code` exits with when the sides differ.
    static let differenceStatus: Int32 = 2

    /// Prints the comparison; whether the sides differ.
    private func compare(from: String, to: String) async throws -> Bool {
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
            let changes = SchemaDiffer.changes(
                from: old,
                to: new,
                options: SchemaDiffer.Options(dropsUnmanagedObjects: dropUnmanaged)
            )
            different = !changes.isEmpty
            let kept =
                dropUnmanaged ? [] : PartialIndexClaims.claimed(old, by: new).kept.filter { !new.kept.contains($0) }
            let origins = try keptObjectOrigins(sources, dialect: dialect)
            if script {
                output.line(dialect.migrationRenderer.render(changes, from: old, to: new).sql, terminator: "")
            } else if changes.isEmpty {
                output.line("No difference detected.")
            } else {
                for change in changes { output.line("- \(change)") }
            }
            // Kept objects go to standard error so `--script` output stays pure SQL.
            for object in kept {
                let origin = KeptObjectOrigin.migration(creating: object, in: origins).map { "made by migration \($0)" }
                output.error(
                    "kept: \(object) (\(origin ?? "not in schema.prisma"); schema.prisma cannot express it; --drop-unmanaged drops it)"
                )
            }
        }
        return different
    }

    /// The migrations to name as the makers of kept objects: a side's migrations folder, else
    /// the project's own `prisma/migrations` beside the current directory, so `--from` a
    /// database still says which migration made its search index.
    private func keptObjectOrigins(_ sources: [DiffSource], dialect: SQLDialect) throws -> [MigrationFile] {
        for source in sources {
            let files = try source.migrationFiles(dialect: dialect)
            if !files.isEmpty { return files }
        }
        let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent("prisma/migrations")
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return (try? MigrationDirectory(url: folder).migrations(for: dialect)) ?? []
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

    /// The migration files of a migrations folder (to say which one made a kept object).
    func migrationFiles(dialect: SQLDialect) throws -> [MigrationFile] {
        if case .migrations(let directory) = self { return try directory.migrations(for: dialect) }
        return []
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
            let replay = { (session: any SQLSession) in try await ShadowDatabase.replay(files, into: session) }
            if dialect == .postgres { return try await ShadowDatabase.with(given: server, replay) }
            return try await ShadowDatabase.with(beside: server) {
                try await ShadowDatabase.replay(files, into: $0)
            }
        case .schema(let path):
            let check = SchemaCheck(sources: try SchemaLoader.load(path: path))
            if !check.diagnostics.isEmpty { output.error(check.renderedDiagnostics) }
            guard check.isValid else {
                throw CLIFailure("\(path) has errors", code: .usage)
            }
            return SchemaLowering.lower(check.schema, dialect: dialect)
        }
    }
}
