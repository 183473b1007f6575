import Foundation
public import WenwexConfig
public import WenwexSQL

/// A temporary database the migration folder is replayed into, to learn the schema the
/// migrations produce without touching any real database.
///
/// PostgreSQL: a database created beside the given one (same server and credentials, or
/// `shadowDatabaseUrl`) and dropped afterwards. SQLite: an in-memory database.
public enum ShadowDatabase {
    public static func with<Result: Sendable>(
        beside database: DatabaseURL,
        shadowURL: DatabaseURL? = nil,
        _ body: (any SQLSession) async throws -> Result
    ) async throws -> Result {
        switch database.kind {
        case .sqlite:
            return try await DatabaseConnector.withSession(try DatabaseURL("file::memory:"), body)
        case .postgres:
            if let shadowURL {
                return try await DatabaseConnector.withSession(shadowURL) { session in
                    try await reset(session)
                    return try await body(session)
                }
            }
            let name = "wenwex_shadow_" + UUID().uuidString.prefix(8).lowercased()
            guard let url = database.replacingDatabase(with: name) else {
                throw MigrationDirectoryError("cannot derive a shadow database URL from \(database.masked)")
            }
            return try await DatabaseConnector.withSession(database) { admin in
                try await admin.execute("CREATE DATABASE \(SQLDialect.postgres.quoteIdentifier(name))")
                do {
                    let result = try await DatabaseConnector.withSession(url, body)
                    try? await admin.execute(
                        "DROP DATABASE IF EXISTS \(SQLDialect.postgres.quoteIdentifier(name)) WITH (FORCE)"
                    )
                    return result
                } catch {
                    try? await admin.execute(
                        "DROP DATABASE IF EXISTS \(SQLDialect.postgres.quoteIdentifier(name)) WITH (FORCE)"
                    )
                    throw error
                }
            }
        }
    }

    /// Replays every migration into `session` and returns the schema they produce.
    public static func replay(_ files: [MigrationFile], into session: any SQLSession) async throws -> SQLSchema {
        for file in files { try await replay(file, into: session) }
        return try await SchemaIntrospection.introspector(for: session.dialect).introspect(session)
    }

    /// Replays one migration, reporting a failure under the migration's name.
    public static func replay(_ file: MigrationFile, into session: any SQLSession) async throws {
        do {
            try await MigrationScriptRunner.run(file.sql, on: session)
        } catch {
            throw MigrationDeployError.migrationFailed(
                name: file.name,
                reason:
                    "replaying it into the shadow database: \((error as? MigrationStatementFailed)?.description ?? DatabaseErrorText.describe(error))"
            )
        }
    }

    /// Empties a user-supplied shadow database: it is scratch space by definition.
    private static func reset(_ session: any SQLSession) async throws {
        try await session.execute("DROP SCHEMA IF EXISTS public CASCADE")
        try await session.execute("CREATE SCHEMA public")
    }
}
