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
}
