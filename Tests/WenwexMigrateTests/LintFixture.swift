import Foundation
import WenwexMigrate
import WenwexSQL

/// A migration to lint against a real database: the database is created at `before` (by the
/// script Wenwex would generate for it), filled with rows, and the migration to `after` is
/// rendered as Wenwex would write it.
enum LintFixture {
    /// The SQL model of some Prisma models for `dialect`.
    static func schema(_ models: String, _ dialect: SQLDialect) throws -> SQLSchema {
        try MigrationTestDatabase.lower(MarketplaceEvolution.header + models, dialect)
    }

    /// Creates `before` in the database and runs `rows` (`INSERT` statements).
    static func create(_ before: SQLSchema, rows: [String], on session: any SQLSession) async throws {
        let script = MigrationPlanner.script(from: SQLSchema(), to: before, dialect: session.dialect)
        try await MigrationScriptRunner.run(script.sql, on: session)
        for row in rows {
            try await session.execute(row, [])
        }
    }

    /// The migration from `before` to `after` and what the linter says about it, given the
    /// database. `edit` changes the generated file first (to add comments, `CONCURRENTLY`).
    static func lint(
        from before: SQLSchema,
        to after: SQLSchema,
        on session: any SQLSession,
        largeTableRows: Int = 100_000,
        edit: (String) -> String = { $0 }
    ) async throws -> (findings: [LintFinding], sql: String) {
        let sql = edit(MigrationPlanner.script(from: before, to: after, dialect: session.dialect).sql)
        let linter = MigrationLinter(dialect: session.dialect, database: session, largeTableRows: largeTableRows)
        return (try await linter.lint(sql: sql, before: before, after: after), sql)
    }

    /// `count` rows `INSERT INTO "table" (columns) VALUES (values(i))`, for i in 1…count.
    static func rows(_ table: String, _ columns: String, count: Int, _ values: (Int) -> String) -> [String] {
        (1...count).map { "INSERT INTO \"\(table)\" (\(columns)) VALUES (\(values($0)))" }
    }
}

extension Array where Element == LintFinding {
    /// The findings of one rule.
    func of(_ rule: LintRule) -> [LintFinding] { filter { $0.rule == rule } }
}
