import Foundation
import WenwexConfig
import WenwexSQL
import WenwexSchema

/// The URLs a schema's `datasource` names besides `url`: `shadowDatabaseUrl` (the database
/// `migrate dev` replays the history into, for teams whose user cannot create databases) and
/// `directUrl` (a connection that bypasses a pooler, which the migration commands use).
///
/// A value is a string or `env("NAME")`, read from the environment's layered configuration,
/// so `.env.local` works as it does for `DATABASE_URL`.
enum DatasourceURLs {
    static func url(
        _ property: String,
        in schema: PrismaSchema,
        configuration: WenwexConfiguration
    ) throws -> DatabaseURL? {
        guard let value = schema.datasources.first?.property(property)?.value else { return nil }
        let text: String?
        switch value.kind {
        case .string(let literal, _):
            text = literal
        case .function(name: "env", let arguments):
            text = arguments.first?.value.stringValue.flatMap { configuration.rawValue($0)?.value }
        default:
            text = nil
        }
        guard let text, !text.isEmpty else { return nil }
        return try DatabaseURL(text, relativeTo: configuration.projectDirectory)
    }

    /// `configuration` with the primary reached through the datasource's `directUrl` when the
    /// schema at `schemaPath` names one and it is set: Prisma runs migrations and `db pull`
    /// over it so they bypass a connection pooler (PgBouncer, Supavisor) that cannot hold the
    /// migration lock or run DDL in a session. The cross-environment guard checks it like any
    /// primary. A schema that does not load leaves the configuration as it is; the command
    /// reports the schema's errors itself.
    static func preferringDirectURL(
        _ configuration: WenwexConfiguration,
        schemaPath: String
    ) throws -> WenwexConfiguration {
        guard
            let sources = try? SchemaLoader.load(path: schemaPath, relativeTo: FileManager.default.currentDirectoryPath)
        else { return configuration }
        let schema = SchemaCheck(sources: sources).schema
        let variable: String? =
            if case .function(name: "env", let arguments)? = schema.datasources.first?.property("directUrl")?.value.kind
            {
                arguments.first?.value.stringValue
            } else {
                nil
            }
        var configuration = configuration
        if let direct = try url("directUrl", in: schema, configuration: configuration),
            direct.dialect == configuration.databases.primary.url.dialect
        {
            configuration.databases.primary.url = direct
            configuration.databases.primary.variable = variable ?? "directUrl"
        }
        return configuration
    }
}
