public import WenwexSQL

/// The lint findings of one migration file.
public struct MigrationLintReport: Sendable, Hashable {
    public var migration: String
    public var findings: [LintFinding]
}

/// Lints migration files in order: each is replayed into a shadow database, and the schema
/// before and after it is what the linter compares, so the rules see what a file does however
/// its SQL is written.
public struct MigrationDirectoryLinter: Sendable {
    public var dialect: SQLDialect
    /// The database the first linted migration will run on, for facts (row counts,
    /// duplicates); later files are linted without it, since the database is not at their
    /// starting point yet.
    public var database: (any SQLSession)?
    public var largeTableRows: Int

    public init(dialect: SQLDialect, database: (any SQLSession)? = nil, largeTableRows: Int = 100_000) {
        self.dialect = dialect
        self.database = database
        self.largeTableRows = largeTableRows
    }

    /// Replays `files` into `shadow` and lints those named in `selected` (all when `nil`).
    public func lint(
        _ files: [MigrationFile],
        selected: Set<String>? = nil,
        shadow: any SQLSession
    ) async throws -> [MigrationLintReport] {
        let introspector = SchemaIntrospection.introspector(for: shadow.dialect)
        var reports: [MigrationLintReport] = []
        var before = try await introspector.introspect(shadow)
        var facts = database
        for file in files {
            try await ShadowDatabase.replay(file, into: shadow)
            let after = try await introspector.introspect(shadow)
            if selected?.contains(file.name) ?? true {
                let linter = MigrationLinter(dialect: dialect, database: facts, largeTableRows: largeTableRows)
                reports.append(
                    MigrationLintReport(
                        migration: file.name,
                        findings: try await linter.lint(sql: file.sql, before: before, after: after)
                    )
                )
                facts = nil
            }
            before = after
        }
        return reports
    }
}
