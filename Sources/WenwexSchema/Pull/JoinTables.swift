import WenwexSQL

/// A join table of an implicit many-to-many relation: it becomes a list field on each model,
/// not a model of its own.
struct JoinTable {
    var table: SQLTable
    /// The relation name: the table name without its leading `_`.
    var relationName: String
    /// The tables behind columns `A` and `B`.
    var a: TableKey
    var b: TableKey
}

/// Recognises the tables `RelationLowering.joinTables` creates, exactly: `_Name` with columns
/// `A` and `B` (required, no default), a primary key `_Name_AB_pkey` on (A, B) (Prisma 6 on
/// PostgreSQL) or a unique index `_Name_AB_unique` on (A, B) (Prisma 5, and SQLite), an index
/// `_Name_B_index` on B, no primary key, and two cascading foreign keys `_Name_A_fkey` and
/// `_Name_B_fkey` to single-column primary keys of the same type (on SQLite, the same family:
/// see `SQLiteIntegerKeys`). Anything else is an explicit
/// table and becomes a model, so lowering the pulled schema gives back the same table.
enum JoinTables {
    static func recognise(_ table: SQLTable, in schema: SQLSchema, dialect: SQLDialect) -> JoinTable? {
        let name = table.name
        let prisma6 =
            table.primaryKey == SQLPrimaryKey(name: "\(name)_AB_pkey", columns: ["A", "B"]) && table.uniques.isEmpty
        let prisma5 =
            table.primaryKey == nil && table.uniques == [SQLUnique(name: "\(name)_AB_unique", columns: ["A", "B"])]
        guard name.hasPrefix("_"), name.count > 1, prisma5 || prisma6,
            table.columns.map(\.name) == ["A", "B"],
            table.columns.allSatisfy({ !$0.isNullable && $0.default == nil && !$0.isAutoIncrement }),
            table.indexes == [SQLIndex(name: "\(name)_B_index", columns: [SQLIndex.Column("B")])],
            table.foreignKeys.count == 2,
            let a = referenced(table, column: 0, in: schema, dialect),
            let b = referenced(table, column: 1, in: schema, dialect),
            a.schema == (table.schema ?? "")
        else { return nil }
        return JoinTable(table: table, relationName: String(name.dropFirst()), a: a, b: b)
    }

    /// The table column `A` (or `B`) references through its foreign key, when that key is the
    /// one lowering writes and points at a single-column primary key of the same type.
    private static func referenced(
        _ table: SQLTable,
        column position: Int,
        in schema: SQLSchema,
        _ dialect: SQLDialect
    ) -> TableKey? {
        let column = table.columns[position]
        guard let key = table.foreignKey("\(table.name)_\(column.name)_fkey"),
            key.columns == [column.name], key.referencedColumns.count == 1,
            key.onDelete == .cascade, key.onUpdate == .cascade,
            let target = schema.table(key.referencedTable, schema: key.referencedSchema ?? table.schema),
            target.primaryKey?.columns == key.referencedColumns,
            let type = target.column(key.referencedColumns[0])?.type,
            type == column.type || (dialect == .sqlite && type.family == column.type.family)
        else { return nil }
        return TableKey(target)
    }
}
