import Foundation
import WenwexSQL

/// Rows put into a schema before a migration, and every table's rows read back as text, so a
/// test can say "every row of a column that still exists keeps its value".
enum RowSnapshot {
    /// Inserts `count` rows into every empty table, parents before children. Autoincrement columns
    /// are left to the database (so they number 1…count); foreign keys point at the parent row
    /// with the same number; nullable foreign keys and arrays stay NULL.
    static func fill(_ schema: SQLSchema, count: Int = 3, on session: any SQLSession) async throws {
        for table in dependencyOrder(schema) {
            let target = table.schema.map { "\"\($0)\".\"\(table.name)\"" } ?? "\"\(table.name)\""
            let existing = try await session.queryText("SELECT COUNT(*) FROM \(unsafeRaw: target)")
            guard existing.first?.first == "0" else { continue }
            for row in 1...count {
                var names: [String] = []
                var values: [String] = []
                for column in table.columns where !column.isAutoIncrement {
                    guard let value = value(for: column, of: table, row: row, in: schema, dialect: session.dialect)
                    else {
                        continue
                    }
                    names.append(SQLDialect.postgres.quoteIdentifier(column.name))
                    values.append(value)
                }
                let sql =
                    names.isEmpty
                    ? "INSERT INTO \(target) DEFAULT VALUES"
                    : "INSERT INTO \(target) (\(names.joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))"
                try await session.execute(sql, [])
            }
        }
    }

    /// Every table's rows: column name → text, ordered by the full row.
    static func read(_ schema: SQLSchema, on session: any SQLSession) async throws -> [String: [[String: String]]] {
        var result: [String: [[String: String]]] = [:]
        for table in schema.tables {
            let target = table.schema.map { "\"\($0)\".\"\(table.name)\"" } ?? "\"\(table.name)\""
            // As text on PostgreSQL: arrays of enums arrive in binary carrying the type's OID,
            // which changes when the enum is re-created although the values do not.
            let columns = table.columns.map { column in
                let name = SQLDialect.postgres.quoteIdentifier(column.name)
                return session.dialect == .postgres ? "CAST(\(name) AS TEXT) AS \(name)" : name
            }
            let rows = try await session.query(
                "SELECT \(unsafeRaw: columns.joined(separator: ", ")) FROM \(unsafeRaw: target)"
            )
            result[table.name] = rows.map { row in
                var values: [String: String] = [:]
                for (index, name) in row.columns.enumerated() { values[name] = row.values[index].text ?? "NULL" }
                return values
            }
        }
        return result
    }

    /// The rows of the columns `old` and `new` share with the same type, sorted, per table.
    static func keptValues(
        _ rows: [String: [[String: String]]],
        old: SQLSchema,
        new: SQLSchema
    ) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for table in old.tables {
            guard let target = new.table(table.name, schema: table.schema) else { continue }
            let shared = table.columns.filter { column in
                target.column(column.name).map { $0.type.text == column.type.text } ?? false
            }.map(\.name)
            result[table.name] = (rows[table.name] ?? []).map { row in
                shared.map { "\($0)=\(row[$0] ?? "?")" }.joined(separator: " ")
            }.sorted()
        }
        return result
    }

    private static func dependencyOrder(_ schema: SQLSchema) -> [SQLTable] {
        var ordered: [SQLTable] = []
        var placed: Set<String> = []
        var remaining = schema.tables
        while !remaining.isEmpty {
            let ready = remaining.filter { table in
                table.foreignKeys.allSatisfy { key in
                    key.referencedTable == table.name || placed.contains(key.referencedTable)
                        || key.columns.allSatisfy { name in table.column(name)?.isNullable == true }
                }
            }
            let next = ready.isEmpty ? [remaining[0]] : ready
            for table in next {
                ordered.append(table)
                placed.insert(table.name)
            }
            remaining.removeAll { table in next.contains { $0.name == table.name } }
        }
        return ordered
    }

    private static func value(
        for column: SQLColumn,
        of table: SQLTable,
        row: Int,
        in schema: SQLSchema,
        dialect: SQLDialect
    ) -> String? {
        if let key = table.foreignKeys.first(where: { $0.columns.contains(column.name) }) {
            if column.isNullable { return nil }
            let position = key.columns.firstIndex(of: column.name)!
            guard let parent = schema.table(key.referencedTable, schema: key.referencedSchema),
                let referenced = parent.column(key.referencedColumns[position])
            else { return nil }
            if referenced.isAutoIncrement { return "\(row)" }
            return value(for: referenced, of: parent, row: row, in: schema, dialect: dialect)
        }
        if column.type.isArray { return nil }
        switch column.type.family {
        case .int, .bigInt: return "\(row)"
        case .float, .decimal: return "\(row).5"
        case .boolean: return row % 2 == 0 ? "true" : "false"
        case .dateTime: return "'2024-01-0\(row) 10:00:00'"
        case .json: return "'{\"row\": \(row)}'"
        case .bytes: return dialect == .postgres ? "'\\x0\(row)'::bytea" : "X'0\(row)'"
        case .enum(let name):
            return schema.enumeration(name, schema: table.schema).map { "'\($0.values[0])'" }
        case .string:
            if column.type.text == "UUID" { return "'00000000-0000-0000-0000-00000000000\(row)'" }
            return "'\(table.name).\(column.name).\(row)'"
        case .unsupported: return nil
        }
    }
}
