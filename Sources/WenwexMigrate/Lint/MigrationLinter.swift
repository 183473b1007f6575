public import WenwexSQL

/// Catches data loss before a migration ships.
///
/// The linter works on what a migration does, not on how its SQL is spelled: it diffs the
/// schema the migration starts from against the one it produces (`SchemaDiffer`), so SQLite's
/// table redefinitions and hand-edited files are judged by their effect. The SQL text is read
/// only for what the diff cannot show: `-- wenwex:allow <rule>` comments, and whether an index
/// is built `CONCURRENTLY`.
///
/// Given the database the migration is about to run on, the linter asks it for facts: how many
/// rows a dropped table or column holds, whether a new unique index would meet duplicates,
/// which rows still use a removed enum value, how large a table is. Without one it reports what
/// could go wrong, as errors where data loss is certain whatever the rows (a drop) and as
/// warnings where it depends on them.
public struct MigrationLinter: Sendable {
    public var dialect: SQLDialect
    /// The database the migration is about to run on, at its starting schema.
    public var database: (any SQLSession)?
    /// From how many rows a table is large enough that PostgreSQL should index it
    /// `CONCURRENTLY`.
    public var largeTableRows: Int

    public init(dialect: SQLDialect, database: (any SQLSession)? = nil, largeTableRows: Int = 100_000) {
        self.dialect = dialect
        self.database = database
        self.largeTableRows = largeTableRows
    }

    /// Lints one migration: `before` is the schema the migration starts from, `after` the
    /// schema it produces (the caller gets both by replaying into a shadow database, or from
    /// the differ's inputs), `sql` the file text (for allow comments and for `CONCURRENTLY`).
    ///
    /// Findings come in the order of the changes that cause them, then warnings about allow
    /// comments the linter could not read. Those the file acknowledges are marked allowed.
    public func lint(sql: String, before: SQLSchema, after: SQLSchema) async throws -> [LintFinding] {
        let changes = SchemaDiffer.changes(from: before, to: after)
        let context = Context(
            facts: LintDatabaseFacts(session: database),
            before: before.databaseView,
            after: after.databaseView,
            createdTables: Set(
                changes.compactMap { change in
                    if case .createTable(let table) = change { return TableName(of: table) }
                    return nil
                }
            ),
            indexStatements: IndexStatements(sql: sql)
        )
        var findings: [LintFinding] = []
        for change in changes {
            findings += try await check(change, context)
        }
        findings += try await lockFindings(sql: sql, context)
        let allowed = LintAllowComments(sql: sql)
        return findings.map(allowed.apply) + allowed.findings
    }

    /// What every rule may need besides the change itself.
    struct Context: Sendable {
        var facts: LintDatabaseFacts
        var before: SQLSchema
        var after: SQLSchema
        /// Tables the migration creates: they have no rows yet.
        var createdTables: Set<TableName>
        var indexStatements: IndexStatements
    }

    private func check(_ change: SchemaChange, _ context: Context) async throws -> [LintFinding] {
        switch change {
        case .dropTable(let table):
            return [try await droppedTable(table, context)]
        case .dropColumn(let table, let column):
            return [try await droppedColumn(column, of: table, context)]
        case .alterColumn(let table, let old, let new):
            return try await narrowedColumn(table, from: old, to: new, context).map { [$0] } ?? []
        case .addColumn(let table, let column):
            return try await addedRequiredColumn(column, to: table, context).map { [$0] } ?? []
        case .createIndex(let table, let index) where !context.createdTables.contains(table):
            var findings: [LintFinding] = []
            if let finding = try await uniqueIndexOverDuplicates(index, on: table, context) { findings.append(finding) }
            if let finding = try await indexWithoutConcurrently(index, on: table, context) { findings.append(finding) }
            return findings
        case .recreateEnum(let old, let new):
            return try await removedEnumValues(from: old, to: new, context)
        default:
            return []
        }
    }
}
