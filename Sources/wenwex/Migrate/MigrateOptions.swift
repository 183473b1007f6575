import ArgumentParser
import Foundation
import WenwexConfig
import WenwexMigrate
import WenwexSQL
import WenwexSchema

/// The options every `migrate` command shares, and the project they point at.
struct MigrateOptions: ParsableArguments {
    @OptionGroup var project: ProjectOptions

    @Option(
        help: """
            The schema file or folder (default: [schema] path in wenwex.toml, else prisma/schema.prisma, \
            else the folder prisma/schema, in the project directory).
            """,
        completion: .file(extensions: ["prisma"])
    )
    var schema: String?

    @Option(
        help: "The migrations folder (default: [schema] migrations in wenwex.toml, else prisma/migrations).",
        completion: .directory
    )
    var migrations: String?

    /// The project's configuration, with the primary reached through the datasource's
    /// `directUrl` when the schema names one and it is set (`DatasourceURLs.preferringDirectURL`).
    func loadConfiguration(output: Output) throws -> WenwexConfiguration {
        let configuration = try project.loadConfiguration(output: output)
        return try DatasourceURLs.preferringDirectURL(configuration, schemaPath: schemaPath(configuration))
    }

    /// `--schema` relative to the current directory, else the project's setting or Prisma's
    /// default relative to the project directory.
    func schemaPath(_ configuration: WenwexConfiguration) -> String {
        schema ?? configuration.project.schemaSettings.schemaURL(in: configuration.projectDirectory).path
    }

    /// `--migrations`, else the project's folder for the primary's dialect (`[schema]
    /// sqlite_migrations` for a SQLite primary when the project keeps one).
    func migrationDirectory(_ configuration: WenwexConfiguration) -> MigrationDirectory {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if let migrations {
            return MigrationDirectory(url: URL(fileURLWithPath: migrations, relativeTo: current).standardizedFileURL)
        }
        let isSQLite = configuration.databases.primary.url.dialect == .sqlite
        return MigrationDirectory(
            url: configuration.project.schemaSettings.migrationsURL(
                in: configuration.projectDirectory,
                databaseIsSQLite: isSQLite
            )
        )
    }

    /// Reads and validates the schema and lowers it for `dialect`; prints diagnostics and exits
    /// with status 2 when it is invalid or written for another database.
    func loweredSchema(_ configuration: WenwexConfiguration, dialect: SQLDialect, output: Output) throws -> SQLSchema {
        SchemaLowering.lower(try validSchema(configuration, dialect: dialect, output: output), dialect: dialect)
    }

    /// Reads and validates the schema for `dialect`; prints diagnostics and exits with status 2
    /// when it is invalid or written for another database.
    func validSchema(_ configuration: WenwexConfiguration, dialect: SQLDialect, output: Output) throws -> PrismaSchema {
        let path = schemaPath(configuration)
        let sources: [SchemaSource]
        do {
            sources = try SchemaLoader.load(path: path, relativeTo: FileManager.default.currentDirectoryPath)
        } catch {
            throw CLIFailure(
                "\(error.description)",
                fix: "pass the schema with --schema PATH, or set [schema] path in wenwex.toml",
                code: .usage
            )
        }
        let check = SchemaCheck(sources: sources)
        if !check.diagnostics.isEmpty { output.error(check.renderedDiagnostics) }
        guard check.isValid else {
            throw CLIFailure("the schema has errors; nothing was changed", code: .usage)
        }
        let lowersForEmbeddedDefault =
            dialect == .sqlite && configuration.project.schemaSettings.sqliteMigrations != nil
        if let provider = SchemaProvider.dialect(of: check.schema), provider != dialect, !lowersForEmbeddedDefault {
            throw CLIFailure(
                "the schema's datasource provider is \(MigrationDirectory.providerName(provider)), but the database is \(MigrationDirectory.providerName(dialect))",
                fix:
                    "point \(configuration.project.database.urlVariable) at a \(MigrationDirectory.providerName(provider)) database, change the provider, or set [schema] sqlite_migrations in wenwex.toml to keep SQLite migrations for the embedded default beside the PostgreSQL ones",
                code: .usage
            )
        }
        return check.schema
    }
}

extension DatabaseURL {
    var dialect: SQLDialect {
        switch kind {
        case .postgres: .postgres
        case .sqlite: .sqlite
        }
    }
}

/// Opens the environment's primary through the cross-environment guard, runs `body`, and
/// closes the session whatever happens.
func withGuardedPrimary<Result: Sendable>(
    _ configuration: WenwexConfiguration,
    _ body: (any SQLSession) async throws -> Result
) async throws -> Result {
    try await GuardedDatabase.withSession(configuration.databases.primary, owner: configuration.owner, body)
}
