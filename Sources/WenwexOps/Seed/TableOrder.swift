import WenwexSQL

/// The order tables are filled in: every table after the tables its foreign keys point at.
///
/// A cycle of foreign keys between tables (A → B → A) is broken at a nullable foreign key,
/// which then stays NULL; a cycle of required ones cannot be seeded and is reported. A table's
/// foreign keys to itself are not ordering edges: the seeder points them at earlier rows.
struct TableOrder {
    var tables: [SQLTable]
    /// Foreign keys (by table key and constraint name) left NULL to break a cycle.
    var brokenForeignKeys: Set<String>

    init(_ schema: SQLSchema) throws(SeedError) {
        var remaining = schema.tables
        var placed = Set<String>()
        tables = []
        brokenForeignKeys = []
        while !remaining.isEmpty {
            if let index = remaining.firstIndex(where: { pending($0, placed: placed).isEmpty }) {
                let table = remaining.remove(at: index)
                placed.insert(Self.key(table))
                tables.append(table)
                continue
            }
            // Stuck in a cycle: break it at a table whose pending foreign keys may all be NULL.
            guard
                let index = remaining.firstIndex(where: { table in
                    pending(table, placed: placed).allSatisfy { Self.isOptional($0, in: table) }
                })
            else {
                throw .requiredCycle(remaining.map(\.name))
            }
            for foreignKey in pending(remaining[index], placed: placed) {
                brokenForeignKeys.insert(Self.key(remaining[index]) + "." + foreignKey.name)
            }
            let table = remaining.remove(at: index)
            placed.insert(Self.key(table))
            tables.append(table)
        }
    }

    func isBroken(_ foreignKey: SQLForeignKey, in table: SQLTable) -> Bool {
        brokenForeignKeys.contains(Self.key(table) + "." + foreignKey.name)
    }

    /// The foreign keys of `table` to other tables not placed yet.
    private func pending(_ table: SQLTable, placed: Set<String>) -> [SQLForeignKey] {
        table.foreignKeys.filter { foreignKey in
            let target = Self.key(foreignKey.referencedTable, schema: foreignKey.referencedSchema ?? table.schema)
            return target != Self.key(table) && !placed.contains(target)
                && !brokenForeignKeys.contains(Self.key(table) + "." + foreignKey.name)
        }
    }

    static func isOptional(_ foreignKey: SQLForeignKey, in table: SQLTable) -> Bool {
        foreignKey.columns.allSatisfy { table.column($0)?.isNullable ?? true }
    }

    static func key(_ table: SQLTable) -> String {
        key(table.name, schema: table.schema)
    }

    static func key(_ name: String, schema: String?) -> String {
        (schema.map { $0 + "." } ?? "") + name
    }
}
