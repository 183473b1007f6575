import WenwexSQL

/// The lock rules (PostgreSQL): statements that hold a lock on a live table while they read,
/// rewrite or index it, each reported with the table's size from the database and the form
/// that lets traffic go on (``StatementLock``). Tables the migration creates are never
/// checked; a rename is reported whatever the table's size, since it breaks running code
/// rather than stalling it.
extension MigrationLinter {
    func lockFindings(sql: String, _ context: Context) async throws -> [LintFinding] {
        guard dialect == .postgres else { return [] }
        var findings: [LintFinding] = []
        var proofs = NotNullProofs()
        for statement in SQLScript.statements(in: sql) {
            for lock in StatementLock.of(statement, before: context.before) {
                guard !context.createdTables.contains(lock.table),
                    context.before.table(lock.table.name, schema: lock.table.schema) != nil
                else { continue }
                // The safe form itself: a validated check proves it, from an earlier statement
                // or an earlier migration.
                if lock.rule == .setNotNull, let column = lock.column {
                    if proofs.proves(column, of: lock.table) { continue }
                    let checks = try await context.facts.notNullChecks(on: lock.table)
                    if proofs.proves(column, of: lock.table, among: checks) { continue }
                }
                if let finding = try await finding(lock, context) { findings.append(finding) }
            }
            proofs.read(statement)
        }
        return findings
    }

    private func finding(_ lock: StatementLock, _ context: Context) async throws -> LintFinding? {
        let table = LintText.table(lock.table)
        let size = try await context.facts.rows(of: lock.table, atLeast: largeTableRows)
        if lock.rule != .renameInUse, size == nil { return nil }
        let rows =
            size.map { " (" + ($0.isEstimate ? "about " : "at least ") + LintText.count($0.rows, "row") + ")" } ?? ""
        let work =
            switch lock.work {
            case .catalog: ""
            case .scan: " while it reads every row"
            case .rewrite: " while it rewrites the table"
            case .indexBuild: " while it builds the index"
            }
        let what =
            lock.rule == .renameInUse
            ? "The migration \(lock.action) of \(table), which the previous release, still serving during a rolling deploy, reads by its old name"
            : "The migration \(lock.action) on \(table); it takes \(lock.lock), which \(lock.blocks) \(table)\(rows)\(work)"
        return LintFinding(
            rule: lock.rule,
            severity: .warning,
            message: "\(what). Safer: \(lock.saferForm); or \(lock.rule.acknowledgement)."
        )
    }
}
