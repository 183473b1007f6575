import WenwexSQL

/// `remove-enum-value-in-use`: PostgreSQL re-creates an enum that loses values and converts
/// every column to the new type; a row holding a removed value makes the conversion, and the
/// migration, fail.
extension MigrationLinter {
    /// An error when rows hold a removed value, a warning when nobody could look, nothing when
    /// no row does (or no column keeps the enum).
    func removedEnumValues(from old: SQLEnum, to new: SQLEnum, _ context: Context) async throws -> [LintFinding] {
        let removed = old.values.filter { !new.values.contains($0) }
        guard !removed.isEmpty else { return [] }
        let rule = LintRule.removeEnumValueInUse
        let pronoun = removed.count == 1 ? "it" : "them"
        let what =
            "Removing \(removed.count == 1 ? "value" : "values") \(removed.joined(separator: ", ")) from enum "
            + "\"\(new.name)\" fails"
        let fix =
            "Change those rows to another value first (in this migration, before the enum changes), or "
            + "\(rule.acknowledgement)."
        // Columns that keep the enum: a column the migration drops or retypes is another rule's.
        var columns: [(table: TableName, column: SQLColumn)] = []
        for table in context.before.tables {
            guard let target = context.after.table(table.name, schema: table.schema) else { continue }
            for column in table.columns where column.type.family == .enum(old.name) {
                if target.column(column.name)?.type.family == .enum(new.name) {
                    columns.append((TableName(of: table), column))
                }
            }
        }
        guard !columns.isEmpty else { return [] }
        var uses: [String] = []
        for (table, column) in columns {
            guard let rows = try await context.facts.rowsUsing(removed, column: column, of: table) else {
                let names = columns.map { LintText.column($0.column.name, of: $0.table) }.joined(separator: ", ")
                return [
                    LintFinding(
                        rule: rule,
                        severity: .warning,
                        message: "\(what) if rows of \(names) still use \(pronoun) (\(LintText.noDatabase)). \(fix)"
                    )
                ]
            }
            if rows > 0 { uses.append("\(LintText.count(rows, "row")) of \(LintText.column(column.name, of: table))") }
        }
        guard !uses.isEmpty else { return [] }
        return [
            LintFinding(
                rule: rule,
                severity: .error,
                message: "\(what) while rows still use \(pronoun): \(uses.joined(separator: ", ")). \(fix)"
            )
        ]
    }
}
