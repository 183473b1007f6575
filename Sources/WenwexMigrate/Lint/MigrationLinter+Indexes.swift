import WenwexSQL

/// `unique-over-duplicates` and `index-without-concurrently`: indexes created on tables that
/// already hold rows. (Indexes on tables the migration creates are never checked.)
extension MigrationLinter {
    /// A unique index over values that repeat cannot be built: the migration fails. An error
    /// when the database shows duplicates, a warning when nobody could look.
    func uniqueIndexOverDuplicates(_ index: SQLIndex, on table: TableName, _ context: Context) async throws
        -> LintFinding?
    {
        guard index.isUnique else { return nil }
        let rule = LintRule.uniqueOverDuplicates
        let columns = index.columns.map(\.name)
        let what =
            "Adding unique index \"\(index.name)\" on \(LintText.table(table)) "
            + "(\(columns.joined(separator: ", "))) fails"
        let fix = "Remove or change the duplicates first, or \(rule.acknowledgement)."
        let unknown = { (why: String) in
            LintFinding(rule: rule, severity: .warning, message: "\(what) if its values repeat (\(why)). \(fix)")
        }
        // The columns whose current values decide it. A column the migration adds holds the same
        // value in every existing row (its default) or NULL, which unique indexes let repeat.
        var grouped: [String] = []
        let existing = context.before.table(table.name, schema: table.schema)
        for name in columns {
            if existing?.column(name) != nil {
                grouped.append(name)
                continue
            }
            guard let added = context.after.table(table.name, schema: table.schema)?.column(name) else { continue }
            switch added.default {
            // All NULL; or required without a default, which fails first and is reported as
            // `required-column-without-default`.
            case nil: return nil
            case .literal: continue
            default: return unknown("new column \"\(name)\" is filled by the database, row by row")
            }
        }
        guard let duplicates = try await context.facts.duplicates(table, columns: grouped) else {
            return unknown(LintText.noDatabase)
        }
        guard duplicates.groups > 0 else { return nil }
        let noun = columns.count == 1 ? "value" : "combination of values"
        let repeated =
            duplicates.groups == 1
            ? "1 \(noun) appears more than once"
            : "\(duplicates.groups) \(noun == "value" ? "values" : "combinations of values") appear more than once"
        return LintFinding(
            rule: rule,
            severity: .error,
            message: "\(what): \(repeated), in \(LintText.count(duplicates.rows, "row")). \(fix)"
        )
    }

    /// PostgreSQL locks a table against writes while `CREATE INDEX` builds on it; on a large
    /// table that is an outage. A warning when the table has at least `largeTableRows` rows
    /// and the file does not build the index `CONCURRENTLY`.
    func indexWithoutConcurrently(_ index: SQLIndex, on table: TableName, _ context: Context) async throws
        -> LintFinding?
    {
        guard dialect == .postgres, !context.indexStatements.buildsConcurrently(index.name),
            let size = try await context.facts.rows(of: table, atLeast: largeTableRows)
        else { return nil }
        let rule = LintRule.indexWithoutConcurrently
        let rows = (size.isEstimate ? "about " : "at least ") + LintText.count(size.rows, "row")
        return LintFinding(
            rule: rule,
            severity: .warning,
            message:
                "Creating index \"\(index.name)\" on \(LintText.table(table)) (\(rows)) without CONCURRENTLY blocks "
                + "writes to the table until it is built. Use CREATE \(index.isUnique ? "UNIQUE " : "")INDEX "
                + "CONCURRENTLY (the migration then runs outside a transaction), or \(rule.acknowledgement)."
        )
    }
}
