import WenwexSQL

/// SQLite numbers rows only in an `INTEGER PRIMARY KEY`, so a Prisma `BigInt @id
/// @default(autoincrement())` is created as `INTEGER` and reads back as an `Int`, while the
/// columns referencing it stay `BIGINT`. Pulled as it reads, the relation would join an `Int`
/// to a `BigInt`, which the schema language refuses.
///
/// So on SQLite an autoincrement `INTEGER` key that `BIGINT` columns reference is pulled as a
/// `BigInt` (the lowering gives it back as `INTEGER`, the family is all that differs; both hold
/// 64-bit integers in SQLite).
enum SQLiteIntegerKeys {
    static func widened(_ schema: SQLSchema) -> SQLSchema {
        var targets: [TableKey: Set<String>] = [:]
        for table in schema.tables {
            for key in table.foreignKeys {
                for (column, target) in zip(key.columns, key.referencedColumns)
                where table.column(column)?.type.family == .bigInt {
                    let targetKey = TableKey(schema: key.referencedSchema ?? table.schema, name: key.referencedTable)
                    targets[targetKey, default: []].insert(target)
                }
            }
        }
        guard !targets.isEmpty else { return schema }
        var copy = schema
        copy.tables = schema.tables.map { table in
            guard let columns = targets[TableKey(table)] else { return table }
            var table = table
            for index in table.columns.indices {
                let column = table.columns[index]
                if columns.contains(column.name), column.isAutoIncrement, column.type.family == .int {
                    table.columns[index].type = SQLColumnType(column.type.text, family: .bigInt)
                }
            }
            return table
        }
        return copy
    }
}
