import WenwexSQL

/// Writes a table's rows in batches and reads back the columns later tables point at; then
/// points optional self-references at earlier rows.
struct TableWriter {
    let plan: TablePlan
    let session: any SQLSession
    let enums: [SQLEnum]

    /// The unique keys already in the database, per unique set of the plan, so new rows avoid them.
    func existingKeys() async throws -> [Set<[String]>] {
        var result: [Set<[String]>] = []
        for positions in plan.uniques {
            let columns = positions.map { session.dialect.quoteIdentifier(plan.columns[$0].name) }
            let rows = try await session.query(
                "SELECT \(unsafeRaw: columns.joined(separator: ", ")) FROM \(unsafeRaw: statement.tableName)"
            )
            result.append(Set(rows.compactMap { uniqueKey($0.values) }))
        }
        return result
    }

    /// Inserts `rows` and returns the `returning` columns of each, in insertion order.
    func insert(_ rows: [[SQLValue]]) async throws -> ParentRows {
        var returned: [[SQLValue]] = []
        returned.reserveCapacity(rows.count)
        if plan.columns.isEmpty {
            let sql = statement.sql(rows: 1)
            for _ in rows {
                returned += try await session.query(sql, []).map { Self.ordered($0, plan.returning) }
            }
        } else {
            var start = 0
            while start < rows.count {
                let batch = rows[start..<min(start + statement.batchSize, rows.count)]
                let binds = batch.flatMap { $0 }
                returned += try await session.query(statement.sql(rows: batch.count), binds).map {
                    Self.ordered($0, plan.returning)
                }
                start += batch.count
            }
        }
        return ParentRows(columns: plan.returning, rows: returned)
    }

    /// Points optional foreign keys to the table itself at earlier rows (about two in three
    /// rows get a parent), by the primary key read back from the insert.
    func linkSelfReferences(_ inserted: ParentRows, random: inout SeedRandom) async throws {
        guard let key = plan.table.primaryKey?.columns, !key.isEmpty, inserted.rows.count > 1 else { return }
        for foreignKey in plan.foreignKeys where foreignKey.mode == .selfLater {
            let columns = foreignKey.foreignKey.columns
            let assignments = columns.enumerated().map { offset, name in
                "\(session.dialect.quoteIdentifier(name)) = \(parameter(offset + 1, column: name))"
            }
            let conditions = key.enumerated().map { offset, name in
                "\(session.dialect.quoteIdentifier(name)) = \(parameter(columns.count + offset + 1, column: name))"
            }
            let sql =
                "UPDATE \(statement.tableName) SET \(assignments.joined(separator: ", ")) WHERE "
                + conditions.joined(separator: " AND ")
            for index in 1..<inserted.rows.count where random.chance(0.7) {
                let parent = inserted.values(random.below(index), foreignKey.foreignKey.referencedColumns)
                try await session.execute(sql, parent + inserted.values(index, key))
            }
        }
    }

    private var statement: InsertStatement {
        InsertStatement(
            table: plan.table,
            columns: plan.columns,
            returning: plan.returning,
            dialect: session.dialect,
            enums: enums
        )
    }

    private func parameter(_ number: Int, column name: String) -> String {
        guard session.dialect == .postgres, let column = plan.table.column(name) else { return "$\(number)" }
        return "CAST($\(number) AS \(statement.postgresType(column.type)))"
    }

    private static func ordered(_ row: SQLRow, _ columns: [String]) -> [SQLValue] {
        columns.map { row[$0] }
    }
}
