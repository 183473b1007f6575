import WenwexSQL

/// A small deterministic random number generator, so a failing seed can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random schemas and random edits of them, for the property "the rendered migration takes a
/// database with rows from A to exactly B, keeping every value of a column that survives".
struct SchemaGenerator {
    let dialect: SQLDialect
    var random: SplitMix64

    init(dialect: SQLDialect, seed: UInt64) {
        self.dialect = dialect
        random = SplitMix64(state: seed)
    }

    /// Column types by family, in the spelling Prisma's lowering (and so introspection) uses.
    private var types: [SQLColumnType] {
        switch dialect {
        case .postgres:
            [
                SQLColumnType("INTEGER", family: .int), SQLColumnType("BIGINT", family: .bigInt),
                SQLColumnType("TEXT", family: .string), SQLColumnType("VARCHAR(50)", family: .string),
                SQLColumnType("BOOLEAN", family: .boolean), SQLColumnType("DOUBLE PRECISION", family: .float),
                SQLColumnType("DECIMAL(10,2)", family: .decimal), SQLColumnType("TIMESTAMP(3)", family: .dateTime),
                SQLColumnType("JSONB", family: .json),
            ]
        case .sqlite:
            [
                SQLColumnType("INTEGER", family: .int), SQLColumnType("BIGINT", family: .bigInt),
                SQLColumnType("TEXT", family: .string), SQLColumnType("BOOLEAN", family: .boolean),
                SQLColumnType("REAL", family: .float), SQLColumnType("DECIMAL", family: .decimal),
                SQLColumnType("DATETIME", family: .dateTime),
            ]
        }
    }

    private mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    private func defaultValue(for type: SQLColumnType) -> SQLDefault {
        switch type.family {
        case .int, .bigInt: .literal(.number("7"))
        case .float: .literal(.number("1.5"))
        case .decimal: .literal(.number("2.5"))
        case .boolean: .literal(.boolean(true))
        case .dateTime: .currentTimestamp
        case .json: .literal(.string("{}"))
        default: .literal(.string("none"))
        }
    }

    private mutating func column(_ name: String) -> SQLColumn {
        let type = types.randomElement(using: &random)!
        let nullable = chance(40)
        let value: SQLDefault? = chance(40) || !nullable && chance(30) ? defaultValue(for: type) : nil
        return SQLColumn(name: name, type: type, isNullable: nullable, default: value)
    }

    private func primaryKeyName(_ table: String) -> String? {
        dialect == .postgres ? "\(table)_pkey" : nil
    }

    /// 2–4 tables, each with an `id` key, a few columns, maybe a reference to the previous
    /// table, and maybe indexes.
    mutating func schema() -> SQLSchema {
        var tables: [SQLTable] = []
        for index in 0..<Int.random(in: 2...4, using: &random) {
            tables.append(table("t\(index)", parent: index > 0 && chance(60) ? "t\(index - 1)" : nil))
        }
        return SQLSchema(tables: tables)
    }

    private mutating func table(_ name: String, parent: String?) -> SQLTable {
        let autoincrement = dialect == .sqlite && chance(30)
        var columns = [
            SQLColumn(name: "id", type: SQLColumnType("INTEGER", family: .int), isAutoIncrement: autoincrement)
        ]
        for index in 0..<Int.random(in: 1...4, using: &random) { columns.append(column("c\(index)")) }
        var table = SQLTable(
            name: name,
            columns: columns,
            primaryKey: SQLPrimaryKey(name: primaryKeyName(name), columns: ["id"])
        )
        if let parent { addReference(to: parent, in: &table) }
        if chance(50) { addIndex(to: &table) }
        return table
    }

    private mutating func addReference(to parent: String, in table: inout SQLTable) {
        let nullable = chance(50)
        table.columns.append(
            SQLColumn(name: "\(parent)_id", type: SQLColumnType("INTEGER", family: .int), isNullable: nullable)
        )
        table.foreignKeys.append(
            SQLForeignKey(
                name: "\(table.name)_\(parent)_id_fkey",
                columns: ["\(parent)_id"],
                referencedTable: parent,
                referencedColumns: ["id"],
                onDelete: nullable ? .setNull : .restrict,
                onUpdate: .cascade
            )
        )
    }

    /// A plain or unique index over one column; unique only where the test's rows are distinct.
    private mutating func addIndex(to table: inout SQLTable) {
        let candidates = table.columns.filter { $0.name != "id" && !$0.name.hasSuffix("_id") }
        guard let column = candidates.randomElement(using: &random) else { return }
        let distinct: Set<SQLColumnType.Family> = [.int, .bigInt, .string, .float, .decimal]
        if distinct.contains(column.type.family), column.type.family != .json, chance(40) {
            let name = "\(table.name)_\(column.name)_key"
            if table.unique(name) == nil { table.uniques.append(SQLUnique(name: name, columns: [column.name])) }
        } else if column.type.family != .json {
            let name = "\(table.name)_\(column.name)_idx"
            if table.index(name) == nil {
                table.indexes.append(
                    SQLIndex(name: name, columns: [.init(column.name, sort: chance(30) ? .descending : .ascending)])
                )
            }
        }
    }

    /// One to four random edits that keep every row valid (no new required column without a
    /// default, no narrowing, no unique index over repeated values).
    mutating func edit(_ schema: SQLSchema) -> SQLSchema {
        var result = schema
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = Int.random(in: 0..<result.tables.count, using: &random)
            var table = result.tables[position]
            switch Int.random(in: 0..<10, using: &random) {
            case 0:
                var added = column("n\(Int.random(in: 0..<1000, using: &random))")
                if !added.isNullable && added.default == nil { added.default = defaultValue(for: added.type) }
                if table.column(added.name) == nil { table.columns.append(added) }
            case 1:
                let droppable = table.columns.filter { candidate in
                    candidate.name != "id" && !table.foreignKeys.contains { $0.columns.contains(candidate.name) }
                }
                if let dropped = droppable.randomElement(using: &random) {
                    table.columns.removeAll { $0.name == dropped.name }
                    table.uniques.removeAll { $0.columns.contains(dropped.name) }
                    table.indexes.removeAll { $0.columns.contains { $0.name == dropped.name } }
                }
            case 2:
                // Not foreign key columns: the rows leave nullable references NULL.
                let candidates = table.columns.indices.filter {
                    table.columns[$0].name != "id" && !table.columns[$0].name.hasSuffix("_id")
                }
                if let index = candidates.randomElement(using: &random) {
                    table.columns[index].isNullable.toggle()
                }
            case 3:
                if let index = table.columns.indices.filter({ table.columns[$0].name != "id" }).randomElement(
                    using: &random
                ) {
                    let current = table.columns[index]
                    table.columns[index].default = current.default == nil ? defaultValue(for: current.type) : nil
                }
            case 4:
                // Widening only.
                let widen: [String: SQLColumnType] = [
                    "INTEGER": SQLColumnType("BIGINT", family: .bigInt),
                    "VARCHAR(50)": SQLColumnType("TEXT", family: .string),
                ]
                if let index = table.columns.indices.filter({
                    table.columns[$0].name != "id" && !table.columns[$0].name.hasSuffix("_id")
                        && widen[table.columns[$0].type.text] != nil
                }).randomElement(using: &random) {
                    let target = widen[table.columns[index].type.text]!
                    table.columns[index].type = target
                    if table.columns[index].default != nil { table.columns[index].default = defaultValue(for: target) }
                }
            case 5:
                addIndex(to: &table)
            case 6:
                if !table.indexes.isEmpty {
                    table.indexes.removeLast()
                } else if !table.uniques.isEmpty {
                    table.uniques.removeLast()
                }
            case 7:
                if let index = table.foreignKeys.indices.randomElement(using: &random) {
                    let nullable = table.column(table.foreignKeys[index].columns[0])?.isNullable ?? false
                    let actions: [SQLReferentialAction] =
                        nullable ? [.cascade, .setNull, .noAction] : [.cascade, .restrict, .noAction]
                    table.foreignKeys[index].onDelete = actions.randomElement(using: &random)!
                }
            case 8:
                let name = "t\(result.tables.count + Int.random(in: 10..<99, using: &random))"
                if result.table(name) == nil { result.tables.append(self.table(name, parent: table.name)) }
            default:
                // Drop a table nothing references.
                let referenced = Set(result.tables.flatMap { $0.foreignKeys.map(\.referencedTable) })
                if result.tables.count > 1, !referenced.contains(table.name) {
                    result.tables.remove(at: position)
                    continue
                }
            }
            // Foreign keys on a column that just became NOT NULL must not SET NULL.
            for index in table.foreignKeys.indices
            where table.column(table.foreignKeys[index].columns[0])?.isNullable == false {
                if table.foreignKeys[index].onDelete == .setNull { table.foreignKeys[index].onDelete = .restrict }
            }
            if let current = result.tables.firstIndex(where: { $0.name == table.name }) {
                result.tables[current] = table
            }
        }
        return result
    }
}
