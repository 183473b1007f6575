import WenwexSQL

/// `drop-table` and `drop-column`: what goes away with the table or column.
extension MigrationLinter {
    /// An error while the table has rows (or nobody could count them), a warning when empty.
    func droppedTable(_ table: SQLTable, _ context: Context) async throws -> LintFinding {
        let name = TableName(of: table)
        let rule = LintRule.dropTable
        let what = "Dropping table \(LintText.table(name))"
        let fix =
            "If it was renamed, rename it in the migration instead (ALTER TABLE … RENAME TO); otherwise copy what "
            + "you need first, or \(rule.acknowledgement)."
        switch try await context.facts.rowCount(name) {
        case 0:
            return LintFinding(
                rule: rule,
                severity: .warning,
                message: "\(what), which is empty; \(rule.acknowledgement)."
            )
        case let rows?:
            return LintFinding(
                rule: rule,
                severity: .error,
                message: "\(what) deletes its \(LintText.count(rows, "row")). \(fix)"
            )
        case nil:
            return LintFinding(
                rule: rule,
                severity: .error,
                message: "\(what) deletes all its rows (\(LintText.noDatabase) how many). \(fix)"
            )
        }
    }

    /// An error while the column holds non-null values (or nobody could count them), a warning
    /// when every row is NULL there or the table is empty.
    func droppedColumn(_ column: SQLColumn, of table: TableName, _ context: Context) async throws -> LintFinding {
        let rule = LintRule.dropColumn
        let what = "Dropping column \(LintText.column(column.name, of: table))"
        let fix =
            "If it was renamed, rename it in the migration instead (ALTER TABLE … RENAME COLUMN); otherwise copy "
            + "what you need first, or \(rule.acknowledgement)."
        switch try await context.facts.nonNullCount(table, column: column.name) {
        case 0:
            return LintFinding(
                rule: rule,
                severity: .warning,
                message: "\(what), which holds no values; \(rule.acknowledgement)."
            )
        case let values?:
            return LintFinding(
                rule: rule,
                severity: .error,
                message: "\(what) deletes its \(LintText.count(values, "non-null value")). \(fix)"
            )
        case nil:
            return LintFinding(
                rule: rule,
                severity: .error,
                message: "\(what) deletes all its values (\(LintText.noDatabase) how many). \(fix)"
            )
        }
    }
}
