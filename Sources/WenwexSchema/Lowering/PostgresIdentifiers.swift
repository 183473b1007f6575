import WenwexSQL

/// Table, column and constraint names as PostgreSQL keeps them.
///
/// PostgreSQL cuts every identifier longer than 63 bytes without an error, so a long `@@map`,
/// `@map` or relation name (an implicit many-to-many table is `_` + the relation name, and its
/// keys add `_AB_pkey`, `_B_index`) names an object the server holds under a shorter name.
/// Lowering cuts them the same way, so a database migrated from the schema compares equal to it
/// instead of showing a drop and a create of the same table on every `migrate diff`.
enum PostgresIdentifiers {
    static func cut(_ schema: SQLSchema) -> SQLSchema {
        var result = schema
        result.tables = schema.tables.map(cut)
        return result
    }

    private static func cut(_ table: SQLTable) -> SQLTable {
        var table = table
        table.name = name(table.name)
        table.columns = table.columns.map { column in
            var column = column
            column.name = name(column.name)
            return column
        }
        if var key = table.primaryKey {
            key.name = key.name.map(name)
            key.columns = key.columns.map(name)
            table.primaryKey = key
        }
        table.uniques = table.uniques.map { unique in
            SQLUnique(name: name(unique.name), columns: unique.columns.map(name))
        }
        table.indexes = table.indexes.map { index in
            var index = index
            index.name = name(index.name)
            index.columns = index.columns.map { column in
                var column = column
                column.name = name(column.name)
                return column
            }
            return index
        }
        table.foreignKeys = table.foreignKeys.map { key in
            var key = key
            key.name = name(key.name)
            key.columns = key.columns.map(name)
            key.referencedTable = name(key.referencedTable)
            key.referencedColumns = key.referencedColumns.map(name)
            return key
        }
        return table
    }

    private static func name(_ identifier: String) -> String {
        ConstraintNames.databaseName(identifier, dialect: .postgres)
    }
}
