import WenwexSQL

/// What the database a migration is about to run on says about its data: the facts that turn
/// "this could lose data" into "this loses 3 rows" (or into nothing, for an empty table).
///
/// Every answer is `nil` without a database. The database must be at the migration's starting
/// schema; a query that fails there (a table that does not exist) throws, because the counts
/// would be about some other database.
struct LintDatabaseFacts: Sendable {
    let session: (any SQLSession)?

    /// Rows in `table`.
    func rowCount(_ table: TableName) async throws -> Int? {
        try await count("SELECT COUNT(*) FROM \(SQLText.qualified(table))")
    }

    /// Rows of `table` where `column` is not NULL: the values dropping or retyping it touches.
    func nonNullCount(_ table: TableName, column: String) async throws -> Int? {
        try await count("SELECT COUNT(\(SQLText.quote(column))) FROM \(SQLText.qualified(table))")
    }

    /// How many combinations of `columns` appear in more than one row, and in how many rows in
    /// all. Rows with a NULL in any column are left out: unique indexes let NULLs repeat. With
    /// no columns every row has the same (empty) combination.
    func duplicates(_ table: TableName, columns: [String]) async throws -> (groups: Int, rows: Int)? {
        guard let session else { return nil }
        var grouped = "SELECT COUNT(*) AS n FROM \(SQLText.qualified(table))"
        if !columns.isEmpty {
            grouped += " WHERE " + columns.map { "\(SQLText.quote($0)) IS NOT NULL" }.joined(separator: " AND ")
            grouped += " GROUP BY \(SQLText.columnList(columns))"
        }
        let rows = try await session.query(
            "SELECT COUNT(*), CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM (\(unsafeRaw: grouped)) AS combination WHERE n > 1"
        )
        guard let row = rows.first, let groups = row[0].integer, let total = row[1].integer else { return nil }
        return (groups, total)
    }

    /// Rows of `table` whose `column` holds one of `values` (in any element, for a list).
    func rowsUsing(_ values: [String], column: SQLColumn, of table: TableName) async throws -> Int? {
        if values.isEmpty { return 0 }
        guard let session else { return nil }
        let placeholders = (1...values.count).map { "$\($0)" }.joined(separator: ", ")
        let name = SQLText.quote(column.name)
        let condition: String
        switch (session.dialect, column.type.isArray) {
        case (.postgres, true):
            condition =
                "EXISTS (SELECT 1 FROM unnest(\(name)) AS element(value) WHERE value::text IN (\(placeholders)))"
        case (.postgres, false):
            condition = "\(name)::text IN (\(placeholders))"
        case (.sqlite, _):
            condition = "\(name) IN (\(placeholders))"
        }
        return try await count(
            "SELECT COUNT(*) FROM \(SQLText.qualified(table)) WHERE \(condition)",
            values.map { SQLValue.text($0) }
        )
    }

    /// PostgreSQL: whether `table` has at least `threshold` rows, and how many. The planner's
    /// estimate (`reltuples`) answers for a large table without reading it; when it is lower
    /// or unknown (a table never analyzed), rows are counted, but no further than `threshold`,
    /// so the check stays cheap on any table. `nil` below the threshold.
    func rows(of table: TableName, atLeast threshold: Int) async throws -> (rows: Int, isEstimate: Bool)? {
        guard let session, session.dialect == .postgres else { return nil }
        let estimate = try await session.query(
            "SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE oid = CAST($1 AS regclass)",
            [.text(SQLText.qualified(table))]
        ).first?[0].integer
        if let estimate, estimate >= threshold { return (estimate, true) }
        let counted = try await count(
            "SELECT COUNT(*) FROM (SELECT 1 FROM \(SQLText.qualified(table)) LIMIT \(max(threshold, 0))) AS sample"
        )
        guard let counted, counted >= threshold else { return nil }
        return (counted, false)
    }

    /// A `CHECK (column IS NOT NULL)` on a table, as PostgreSQL holds it.
    struct NotNullCheck: Sendable, Hashable {
        var name: String
        var column: String
        var isValidated: Bool
    }

    /// PostgreSQL: the table's checks of the form `CHECK (column IS NOT NULL)`, which make `SET
    /// NOT NULL` instant once validated (the online form adds one in an earlier migration).
    func notNullChecks(on table: TableName) async throws -> [NotNullCheck] {
        guard let session, session.dialect == .postgres else { return [] }
        let rows = try await session.queryText(
            "SELECT conname, convalidated::text, pg_get_constraintdef(oid) FROM pg_constraint "
                + "WHERE conrelid = CAST($1 AS regclass) AND contype = 'c'",
            [.text(SQLText.qualified(table))]
        )
        return rows.compactMap { row in
            guard row.count == 3, let name = row[0], let validated = row[1], let definition = row[2],
                let match = definition.firstMatch(of: Self.notNullDefinition)
            else { return nil }
            return NotNullCheck(
                name: name,
                column: StatementLock.unquoted(String(match.1)),
                isValidated: validated == "true"
            )
        }
    }

    /// How `pg_get_constraintdef` prints such a check: `CHECK ((title IS NOT NULL))`, with the
    /// name quoted when it needs to be.
    nonisolated(unsafe) private static let notNullDefinition =
        #/^CHECK \(\(("(?:[^"]|"")+"|[\w$]+) IS NOT NULL\)\)/#

    private func count(_ sql: String, _ binds: [SQLValue] = []) async throws -> Int? {
        guard let session else { return nil }
        return try await session.query(sql, binds).first?[0].integer
    }
}
