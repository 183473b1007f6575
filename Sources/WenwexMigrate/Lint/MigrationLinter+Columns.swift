import WenwexSQL

/// `narrow-type` and `required-column-without-default`: changes that existing rows may not
/// survive.
extension MigrationLinter {
    /// A type change that can lose or reject values: an error while the column holds values
    /// (or nobody could count them), a warning while it holds none.
    func narrowedColumn(
        _ table: TableName,
        from old: SQLColumn,
        to new: SQLColumn,
        _ context: Context
    ) async throws -> LintFinding? {
        guard let reason = TypeNarrowing.reason(from: old.type, to: new.type, dialect: dialect) else { return nil }
        let rule = LintRule.narrowType
        let what =
            "Changing column \(LintText.column(new.name, of: table)) from \(old.type.text) to \(new.type.text) "
            + "can lose or reject values (\(reason))"
        let fix = "Check that every value fits, or convert them in the migration first; or \(rule.acknowledgement)."
        switch try await context.facts.nonNullCount(table, column: old.name) {
        case 0:
            return LintFinding(
                rule: rule,
                severity: .warning,
                message: "\(what), but it holds no values yet; \(rule.acknowledgement)."
            )
        case let values?:
            return LintFinding(
                rule: rule,
                severity: .error,
                message: "\(what), and it holds \(LintText.count(values, "non-null value")). \(fix)"
            )
        case nil:
            return LintFinding(
                rule: rule,
                severity: .error,
                message: "\(what); \(LintText.noDatabase) whether it holds any. \(fix)"
            )
        }
    }

    /// A `NOT NULL` column with no database default added to an existing table: the rows
    /// already there would get no value, so the migration fails. An error when the table has
    /// rows, nothing when it is empty, a warning when nobody could look.
    func addedRequiredColumn(_ column: SQLColumn, to table: TableName, _ context: Context) async throws
        -> LintFinding?
    {
        guard !column.isNullable, column.default == nil, !column.isAutoIncrement else { return nil }
        let rule = LintRule.requiredColumnWithoutDefault
        let what = "Adding required column \(LintText.column(column.name, of: table)) without a default fails"
        let fix =
            "Give it a default, or add it as optional, fill it, and make it required in a later migration; "
            + "or \(rule.acknowledgement)."
        switch try await context.facts.rowCount(table) {
        case 0:
            return nil
        case let rows?:
            return LintFinding(
                rule: rule,
                severity: .error,
                message:
                    "\(what): \(LintText.table(table)) has \(LintText.count(rows, "row")) that would get no value. "
                    + fix
            )
        case nil:
            return LintFinding(
                rule: rule,
                severity: .warning,
                message: "\(what) if \(LintText.table(table)) has rows (\(LintText.noDatabase)). \(fix)"
            )
        }
    }
}
