import Foundation
import Testing
import WenwexConfig
import WenwexMigrate
import WenwexSQL
import WenwexSchema
import WenwexTestSupport

/// A throwaway database of either dialect: a fresh database on the shared PostgreSQL cluster,
/// or a SQLite file in a temporary folder.
enum MigrationTestDatabase {
    static func url(_ dialect: SQLDialect, prefix: String) async throws -> DatabaseURL {
        switch dialect {
        case .postgres:
            return try DatabaseURL(try await SharedPostgres.freshDatabase(prefix: prefix))
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("wenwex-migrate-\(prefix)-\(UUID().uuidString)")
            return try DatabaseURL("file:" + directory.appendingPathComponent("test.db").path)
        }
    }

    static func with<Result: Sendable>(
        _ dialect: SQLDialect,
        prefix: String,
        _ body: (any SQLSession) async throws -> Result
    ) async throws -> Result {
        let url = try await url(dialect, prefix: prefix)
        defer {
            if case .sqlite(let path) = url.kind {
                try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
            }
        }
        return try await DatabaseConnector.withSession(url, body)
    }

    static func introspect(_ session: any SQLSession) async throws -> SQLSchema {
        try await SchemaIntrospection.introspector(for: session.dialect).introspect(session)
    }

    /// Lowers Prisma schema text for `dialect` (the text's `PROVIDER` becomes the provider).
    static func lower(_ text: String, _ dialect: SQLDialect) throws -> SQLSchema {
        let provider = dialect == .postgres ? "postgresql" : "sqlite"
        let check = SchemaCheck(text: text.replacingOccurrences(of: "PROVIDER", with: provider))
        try #require(check.isValid, "\(check.renderedDiagnostics)")
        return SchemaLowering.lower(check.schema, dialect: dialect)
    }

    /// What introspection can give back for `schema`: application defaults removed, and on
    /// SQLite an `INTEGER` column's family is `.int` whatever Prisma type it was lowered from.
    static func expectedIntrospection(of schema: SQLSchema, _ dialect: SQLDialect) -> SQLSchema {
        var expected = schema.databaseView
        guard dialect == .sqlite else { return expected }
        expected.tables = expected.tables.map { table in
            var table = table
            table.columns = table.columns.map { column in
                var column = column
                if column.type.text == "INTEGER" { column.type = SQLColumnType("INTEGER", family: .int) }
                return column
            }
            return table
        }
        return expected
    }
}
