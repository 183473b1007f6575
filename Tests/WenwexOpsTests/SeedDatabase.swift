import Foundation
import Testing
import WenwexConfig
import WenwexMigrate
import WenwexOps
import WenwexSQL
import WenwexSchema
import WenwexTestSupport

/// A fresh database of either dialect with the marketplace schema created in it, the way
/// `migrate dev` would create it, for the seeder to fill.
enum SeedDatabase {
    /// The marketplace fixture for `dialect` (the SQLite copy has no `@db.*` types or lists).
    static func marketplace(_ dialect: SQLDialect) throws -> PrismaSchema {
        let name = dialect == .postgres ? "marketplace-postgres.prisma" : "marketplace-sqlite.prisma"
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(name)
        let check = SchemaCheck(text: try String(contentsOf: url, encoding: .utf8), path: name)
        try #require(check.isValid, "\(check.renderedDiagnostics)")
        return check.schema
    }

    /// Runs `body` on a new, empty database of `dialect` in which `schema` has been created.
    static func with<Result: Sendable>(
        _ dialect: SQLDialect,
        schema: SQLSchema,
        _ body: (any SQLSession) async throws -> Result
    ) async throws -> Result {
        let url: DatabaseURL
        var directory: URL?
        switch dialect {
        case .postgres:
            url = try DatabaseURL(try await SharedPostgres.freshDatabase(prefix: "seed"))
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "wenwex-seed-\(UUID().uuidString)"
            )
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            directory = folder
            url = try DatabaseURL("file:" + folder.appendingPathComponent("seed.db").path)
        }
        defer { if let directory { try? FileManager.default.removeItem(at: directory) } }
        return try await DatabaseConnector.withSession(url) { session in
            let script = MigrationPlanner.script(from: SQLSchema(), to: schema, dialect: dialect).sql
            try await MigrationScriptRunner.run(script, on: session)
            return try await body(session)
        }
    }

    static func name(_ table: SQLTable, _ dialect: SQLDialect) -> String {
        dialect.quoteIdentifier(table.name)
    }

    /// Every row of every table as text, in a fixed order, to compare two databases.
    static func snapshot(_ session: any SQLSession, _ schema: SQLSchema) async throws -> [String: [[String?]]] {
        var result: [String: [[String?]]] = [:]
        for table in schema.tables {
            let order = (1...table.columns.count).map(String.init).joined(separator: ", ")
            result[table.name] = try await session.queryText(
                "SELECT * FROM \(unsafeRaw: name(table, session.dialect)) ORDER BY \(unsafeRaw: order)"
            )
        }
        return result
    }

    static func count(_ session: any SQLSession, _ sql: String) async throws -> Int {
        try await session.query(sql, []).first?[0].integer ?? -1
    }
}
