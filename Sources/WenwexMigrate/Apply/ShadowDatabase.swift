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
                try refuseSameDatabase(shadowURL, as: database)
                return try await with(given: shadowURL, body)
            }
            let name = "wenwex_shadow_" + UUID().uuidString.prefix(8).lowercased()
            guard let url = database.replacingDatabase(with: name) else {
                throw MigrationDirectoryError("cannot derive a shadow database URL from \(database.masked)")
            }
            return try await DatabaseConnector.withSession(database) { admin in
                try await admin.execute("CREATE DATABASE \(unsafeRaw: SQLDialect.postgres.quoteIdentifier(name))")
                do {
                    let result = try await DatabaseConnector.withSession(url, body)
                    try? await admin.execute(
                        "DROP DATABASE IF EXISTS \(unsafeRaw: SQLDialect.postgres.quoteIdentifier(name)) WITH (FORCE)"
                    )
                    return result
                } catch {
                    try? await admin.execute(
                        "DROP DATABASE IF EXISTS \(unsafeRaw: SQLDialect.postgres.quoteIdentifier(name)) WITH (FORCE)"
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

    /// A shadow database the user named (`shadowDatabaseUrl`, `--shadow-database-url`):
    /// emptied, then used. One that holds an environment's data is refused first.
    public static func with<Result: Sendable>(
        given shadow: DatabaseURL,
        _ body: (any SQLSession) async throws -> Result
    ) async throws -> Result {
        try await DatabaseConnector.withSession(shadow) { session in
            try await refuseInUse(session, shadow)
            try await reset(session)
            return try await body(session)
        }
    }

    /// A shadow database is emptied before each use, so it must not be the database itself (a
    /// `shadowDatabaseUrl` copied from `url` would wipe the dev data).
    private static func refuseSameDatabase(_ shadow: DatabaseURL, as database: DatabaseURL) throws {
        guard case .postgres(let a) = shadow.kind, case .postgres(let b) = database.kind else { return }
        guard a.host == b.host, a.port == b.port, a.database == b.database else { return }
        throw MigrationDirectoryError(
            "the shadow database \(shadow.masked) is the database itself; it is emptied before every use, so it must be another database (fix: point shadowDatabaseUrl at an empty scratch database)"
        )
    }

    /// Nor an environment's database: one carrying Wenwex's identity stamp or a migration
    /// history (`_prisma_migrations`, which a shadow database never gets) is refused before
    /// anything is dropped, whichever environment it belongs to.
    private static func refuseInUse(_ session: any SQLSession, _ shadow: DatabaseURL) async throws {
        if let stamp = try? await IdentityStampStore(session: session, url: shadow).read() {
            throw MigrationDirectoryError(
                "the shadow database \(shadow.masked) carries the identity stamp of environment '\(stamp.environment)'; a shadow database is emptied before every use, so Wenwex will not use it (fix: point shadowDatabaseUrl at an empty scratch database)"
            )
        }
        let history = try await session.queryText(
            "SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public' AND tablename = '_prisma_migrations'"
        )
        if history.first?.first == "1" {
            throw MigrationDirectoryError(
                "the shadow database \(shadow.masked) has a migration history (_prisma_migrations): it is a real database, and a shadow database is emptied before every use, so Wenwex will not use it (fix: point shadowDatabaseUrl at an empty scratch database)"
            )
        }
    }

    /// Empties a user-supplied shadow database: it is scratch space by definition.
    private static func reset(_ session: any SQLSession) async throws {
        try await session.execute("DROP SCHEMA IF EXISTS public CASCADE")
        try await session.execute("CREATE SCHEMA public")
    }
}
