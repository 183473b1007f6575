import WenwexSQL

/// Everything decided about a table before any row is made: which columns the seeder writes
/// and how, which foreign keys point where, which column sets must stay unique, and which
/// columns to read back for the tables that point here.
struct TablePlan {
    let table: SQLTable
    /// The columns the seeder writes, in table order; the database fills the rest
    /// (autoincrement, sequences, `dbgenerated` defaults, unwritable columns with defaults).
    let columns: [SQLColumn]
    let kinds: [ColumnKind]
    let maxLengths: [Int?]
    let foreignKeys: [ForeignKeyPlan]
    /// Position of each written column's foreign key plan, if it belongs to one.
    let foreignKeyOfColumn: [Int?]
    /// Unique column sets (primary key, unique indexes), as positions among `columns`; sets
    /// that include a database-filled column are unique by construction and left out.
    let uniques: [[Int]]
    /// Columns read back after insert: the primary key and every column a foreign key
    /// references.
    let returning: [String]

    init(table: SQLTable, schema: SQLSchema, order: TableOrder, enumValues: [String: [String]]) throws(SeedError) {
        self.table = table
        var columns: [SQLColumn] = []
        var kinds: [ColumnKind] = []
        for column in table.columns {
            if column.isAutoIncrement { continue }
            switch column.default {
            case .sequence, .expression: continue
            default: break
            }
            let kind: ColumnKind
            if case .enum(let name) = column.type.family, let values = schema.enumeration(name)?.values {
                kind = column.type.isArray ? .array(.oneOf(values)) : .oneOf(values)
            } else {
                kind = ColumnKind.of(column, enumValues: enumValues[column.name])
            }
            if kind == .unwritable || kind == .array(.unwritable) {
                if column.isNullable || column.default != nil { continue }
                throw .unwritableColumn(table: table.name, column: column.name, type: column.type.text)
            }
            columns.append(column)
            kinds.append(kind)
        }
        self.columns = columns
        self.kinds = kinds
        maxLengths = columns.map { TypeText($0.type.text).maxLength }
        let names = columns.map(\.name)

        let uniqueSets = (table.primaryKey.map { [$0.columns] } ?? []) + table.uniques.map(\.columns)
        uniques = uniqueSets.compactMap { set -> [Int]? in
            let positions = set.compactMap { names.firstIndex(of: $0) }
            return positions.count == set.count ? positions : nil
        }

        var plans: [ForeignKeyPlan] = []
        for foreignKey in table.foreignKeys {
            let positions = foreignKey.columns.compactMap { names.firstIndex(of: $0) }
            guard positions.count == foreignKey.columns.count else { continue }
            let parent = TableOrder.key(foreignKey.referencedTable, schema: foreignKey.referencedSchema ?? table.schema)
            let isOptional = TableOrder.isOptional(foreignKey, in: table)
            let mode: ForeignKeyPlan.Mode
            if order.isBroken(foreignKey, in: table) {
                mode = .null
            } else if parent == TableOrder.key(table) {
                if isOptional {
                    mode = .selfLater
                } else if foreignKey.referencedColumns.allSatisfy(names.contains) {
                    mode = .selfInline
                } else {
                    throw .requiredSelfReference(table: table.name, foreignKey: foreignKey.name)
                }
            } else if uniqueSets.contains(where: { !$0.isEmpty && Set($0).isSubset(of: foreignKey.columns) }) {
                mode = .oneToOne
            } else {
                mode = .random
            }
            plans.append(
                ForeignKeyPlan(
                    foreignKey: foreignKey,
                    positions: positions,
                    isOptional: isOptional,
                    mode: mode,
                    parent: parent
                )
            )
        }
        foreignKeys = plans
        foreignKeyOfColumn = columns.indices.map { index in
            plans.firstIndex { $0.positions.contains(index) }
        }

        let key = TableOrder.key(table)
        var returning = table.primaryKey?.columns ?? []
        for other in schema.tables {
            for foreignKey in other.foreignKeys
            where TableOrder.key(foreignKey.referencedTable, schema: foreignKey.referencedSchema ?? other.schema) == key
            {
                returning += foreignKey.referencedColumns.filter { !returning.contains($0) }
            }
        }
        self.returning = returning.filter { table.column($0) != nil }
    }
}
