import WenwexSQL

/// `INSERT … VALUES (…), (…) RETURNING …` for a batch of rows, with bound parameters.
///
/// PostgreSQL is told each parameter's type with a cast to the column's type, because the
/// client sends text as `text`, which the server will not put into a `uuid`, enum, `numeric`
/// or `timestamp` column by itself. SQLite takes the values as they are.
struct InsertStatement {
    let table: SQLTable
    let columns: [SQLColumn]
    /// Columns read back from every inserted row.
    let returning: [String]
    let dialect: SQLDialect
    let enums: [SQLEnum]

    /// Rows per statement: well under both dialects' parameter limits (SQLite 32766,
    /// PostgreSQL 65535) and big enough that round trips do not dominate.
    var batchSize: Int {
        max(1, min(500, 10_000 / max(columns.count, 1)))
    }

    func sql(rows: Int) -> String {
        var sql = "INSERT INTO \(tableName)"
        if columns.isEmpty {
            sql += " DEFAULT VALUES"
        } else {
            sql += " (" + columns.map { dialect.quoteIdentifier($0.name) }.joined(separator: ", ") + ") VALUES "
            var tuples: [String] = []
            tuples.reserveCapacity(rows)
            for row in 0..<rows {
                let values = columns.indices.map { index in
                    parameter(row * columns.count + index + 1, column: columns[index])
                }
                tuples.append("(" + values.joined(separator: ", ") + ")")
            }
            sql += tuples.joined(separator: ", ")
        }
        if !returning.isEmpty {
            sql += " RETURNING " + returning.map(dialect.quoteIdentifier).joined(separator: ", ")
        }
        return sql
    }

    var tableName: String {
        (table.schema.map { dialect.quoteIdentifier($0) + "." } ?? "") + dialect.quoteIdentifier(table.name)
    }

    private func parameter(_ number: Int, column: SQLColumn) -> String {
        guard dialect == .postgres else { return "$\(number)" }
        return "CAST($\(number) AS \(postgresType(column.type)))"
    }

    func postgresType(_ type: SQLColumnType) -> String {
        guard case .enum(let name) = type.family else { return type.text }
        let schema = enums.first { $0.name == name }?.schema
        let quoted = (schema.map { dialect.quoteIdentifier($0) + "." } ?? "") + dialect.quoteIdentifier(name)
        return type.isArray ? quoted + "[]" : quoted
    }
}
