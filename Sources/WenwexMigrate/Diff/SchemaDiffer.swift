public import WenwexSQL

/// Computes the ordered changes that turn one schema into another.
///
/// Matching is by name, as in Prisma Migrate: a renamed table or column is a drop and an add
/// (the linter then warns about the drop). A constraint or index whose definition changed is
/// dropped and created again; a foreign key is also re-created when a column on either side
/// of it changes type, because PostgreSQL refuses to change the type under a live key.
///
/// Both sides are compared as the database sees them (`SQLSchema.databaseView`): a default the
/// client computes (`uuid()`, `@updatedAt`) never causes a change. Types compare by their SQL
/// text, not their family: SQLite stores a `BigInt` id as `INTEGER`, and that is no change.
///
/// What the schema cannot express (`SQLSchema.kept`, extensions it does not declare) is never
/// dropped unless `Options.dropsUnmanagedObjects` says so: it belongs to the migration history.
/// An index whose definition is unchanged but whose name differs is renamed, and a unique index
/// over a new primary key's columns becomes the key in place.
public enum SchemaDiffer {
    /// How far the plan may go beyond what the schema describes.
    public struct Options: Sendable, Hashable {
        /// Plan drops of extensions, partial and expression indexes, triggers, functions, views,
        /// policies, row-level security, sequences and domains the target lacks. Off by
        /// default: they were written by hand in a migration, and a schema that cannot name them
        /// is no reason to remove them.
        public var dropsUnmanagedObjects: Bool

        public init(dropsUnmanagedObjects: Bool = false) {
            self.dropsUnmanagedObjects = dropsUnmanagedObjects
        }
    }

    public static func changes(from old: SQLSchema, to new: SQLSchema, options: Options = Options()) -> [SchemaChange] {
        let old = PartialIndexClaims.claimed(old.databaseView, by: new)
        let new = PartialIndexClaims.claimed(new.databaseView, by: old)
        var plan = Plan()
        // By name: an extension is installed once per database, whichever schema it is in.
        let oldExtensions = Set(old.extensions.map(\.name))
        let newExtensions = Set(new.extensions.map(\.name))
        plan.createExtensions = new.extensions.filter { !oldExtensions.contains($0.name) }
            .map(SchemaChange.createExtension)
        // A version only when both sides know one: a schema without `version:` takes any.
        let oldVersions = Dictionary(
            old.extensions.map { ($0.name, $0.version) },
            uniquingKeysWith: { first, _ in first }
        )
        plan.createExtensions += new.extensions.filter { created in
            guard let wanted = created.version, let installed = oldVersions[created.name] ?? nil else { return false }
            return wanted != installed
        }
        .map(SchemaChange.updateExtension)
        if options.dropsUnmanagedObjects {
            // Dependents first: a view or trigger before the function it calls. Sequences and
            // domains go after the tables and columns that may still use them.
            let order: [SQLKeptObject.Kind] = [
                .view, .materializedView, .policy, .rowLevelSecurity, .trigger, .index, .function, .extension,
                .sequence, .domain,
            ]
            let dropped = old.kept.filter { !new.kept.contains($0) }
                .sorted { (order.firstIndex(of: $0.kind) ?? 0, $0) < (order.firstIndex(of: $1.kind) ?? 0, $1) }
            let usedByColumns: Set<SQLKeptObject.Kind> = [.sequence, .domain]
            plan.dropKept = dropped.filter { !usedByColumns.contains($0.kind) }.map(SchemaChange.dropKept)
            plan.dropKeptAfterTables = dropped.filter { usedByColumns.contains($0.kind) }.map(SchemaChange.dropKept)
            plan.dropExtensions = old.extensions.filter { !newExtensions.contains($0.name) }
                .map(SchemaChange.dropExtension)
        }
        let oldTables = Dictionary(old.tables.map { (TableName(of: $0), $0) }, uniquingKeysWith: { first, _ in first })
        let newTables = Dictionary(new.tables.map { (TableName(of: $0), $0) }, uniquingKeysWith: { first, _ in first })
        let retypedColumns = retyped(oldTables, newTables)

        for table in old.tables {
            let name = TableName(of: table)
            guard let target = newTables[name] else {
                plan.dropForeignKeys += table.foreignKeys.map { .dropForeignKey(name, $0) }
                plan.dropTables.append(.dropTable(table))
                continue
            }
            diffTable(name, from: table, to: target, retyped: retypedColumns, into: &plan)
        }
        for table in new.tables where oldTables[TableName(of: table)] == nil {
            var created = table
            created.uniques = []
            created.indexes = []
            created.foreignKeys = []
            plan.createTables.append(.createTable(created))
            plan.createIndexes += table.allIndexes.map { .createIndex(TableName(of: table), $0) }
            plan.addForeignKeys += table.foreignKeys.map { .addForeignKey(TableName(of: table), $0) }
        }
        diffEnums(from: old, to: new, into: &plan)
        return plan.ordered
    }

    /// The changes in the order they can run.
    private struct Plan {
        var createExtensions: [SchemaChange] = []
        var dropKept: [SchemaChange] = []
        var dropForeignKeys: [SchemaChange] = []
        var dropIndexes: [SchemaChange] = []
        var createEnums: [SchemaChange] = []
        var dropPrimaryKeys: [SchemaChange] = []
        var createTables: [SchemaChange] = []
        var alterColumns: [SchemaChange] = []
        var addPrimaryKeys: [SchemaChange] = []
        var dropTables: [SchemaChange] = []
        var dropEnums: [SchemaChange] = []
        var dropKeptAfterTables: [SchemaChange] = []
        var createIndexes: [SchemaChange] = []
        var addForeignKeys: [SchemaChange] = []
        var dropExtensions: [SchemaChange] = []

        var ordered: [SchemaChange] {
            createExtensions + dropKept + dropForeignKeys + dropIndexes + createEnums + dropPrimaryKeys + createTables
                + alterColumns
                + addPrimaryKeys + dropTables + dropEnums + dropKeptAfterTables + createIndexes + addForeignKeys
                + dropExtensions
        }
    }

    /// Columns whose type changes, by table: keys over them must be re-created.
    private static func retyped(_ old: [TableName: SQLTable], _ new: [TableName: SQLTable]) -> Set<ColumnReference> {
        var result: Set<ColumnReference> = []
        for (name, table) in old {
            guard let target = new[name] else { continue }
            for column in table.columns {
                if let changed = target.column(column.name), !sameType(changed.type, column.type) {
                    result.insert(ColumnReference(table: name, column: column.name))
                }
            }
        }
        return result
    }

    private struct ColumnReference: Hashable {
        var table: TableName
        var column: String
    }

    private static func diffTable(
        _ name: TableName,
        from old: SQLTable,
        to new: SQLTable,
        retyped: Set<ColumnReference>,
        into plan: inout Plan
    ) {
        let droppedColumns = Set(old.columns.map(\.name)).subtracting(new.columns.map(\.name))

        // Foreign keys: re-created when their definition changes or a column under them is retyped.
        func touchesRetyped(_ key: SQLForeignKey) -> Bool {
            let referenced = TableName(key.referencedTable, schema: key.referencedSchema)
            return key.columns.contains { retyped.contains(ColumnReference(table: name, column: $0)) }
                || key.referencedColumns.contains { retyped.contains(ColumnReference(table: referenced, column: $0)) }
        }
        var addedKeys = new.foreignKeys.filter { old.foreignKey($0.name) != $0 || touchesRetyped($0) }
        for key in old.foreignKeys where new.foreignKey(key.name) != key || touchesRetyped(key) {
            // Same definition under another name: renamed, not dropped and validated again
            // over every row.
            if !touchesRetyped(key), new.foreignKey(key.name) == nil,
                let position = addedKeys.firstIndex(where: { $0.renamed(key.name) == key })
            {
                let target = addedKeys.remove(at: position)
                plan.createIndexes.append(.renameConstraint(name, from: key.name, to: target.name))
            } else {
                plan.dropForeignKeys.append(.dropForeignKey(name, key))
            }
        }
        plan.addForeignKeys += addedKeys.map { .addForeignKey(name, $0) }

        // Indexes and uniques (both are indexes in the database).
        let newIndexes = new.allIndexes
        var dropped = old.allIndexes.filter { !newIndexes.contains($0) }
        var created = newIndexes.filter { !old.allIndexes.contains($0) }

        // Primary key: a new key over the columns of a unique index that goes away takes the
        // index over (`USING INDEX`), instead of dropping it and building the key again.
        if let oldKey = old.primaryKey, let newKey = new.primaryKey, oldKey.columns == newKey.columns,
            let from = oldKey.name, let to = newKey.name, from != to
        {
            // The same key under another name (a hand-written `users_pk`): renamed in place.
            plan.addPrimaryKeys.append(.renameConstraint(name, from: from, to: to))
        } else if old.primaryKey != new.primaryKey {
            if let key = old.primaryKey { plan.dropPrimaryKeys.append(.dropPrimaryKey(name, key)) }
            if let key = new.primaryKey {
                if old.primaryKey == nil,
                    let position = dropped.firstIndex(where: {
                        $0.isUnique && $0.method == nil && $0.columns == key.columns.map { SQLIndex.Column($0) }
                    })
                {
                    plan.addPrimaryKeys.append(.addPrimaryKeyUsingIndex(name, key, index: dropped.remove(at: position)))
                } else {
                    plan.addPrimaryKeys.append(.addPrimaryKey(name, key))
                }
            }
        }

        // Same definition, other name: renamed in place.
        for index in dropped {
            guard let position = created.firstIndex(where: { $0.renamed(index.name) == index }) else {
                plan.dropIndexes.append(.dropIndex(name, index))
                continue
            }
            plan.createIndexes.append(.renameIndex(name, from: index, to: created.remove(at: position)))
        }
        plan.createIndexes += created.map { .createIndex(name, $0) }

        // Columns: added, altered, dropped.
        for column in new.columns where old.column(column.name) == nil {
            plan.alterColumns.append(.addColumn(name, column))
        }
        for column in old.columns {
            guard let target = new.column(column.name) else { continue }
            if !sameColumn(column, target) { plan.alterColumns.append(.alterColumn(name, from: column, to: target)) }
        }
        for column in old.columns where droppedColumns.contains(column.name) {
            plan.alterColumns.append(.dropColumn(name, column))
        }
    }

    /// Whether the database holds the same type: the same SQL text and array-ness.
    static func sameType(_ lhs: SQLColumnType, _ rhs: SQLColumnType) -> Bool {
        lhs.text == rhs.text && lhs.isArray == rhs.isArray
    }

    static func sameColumn(_ lhs: SQLColumn, _ rhs: SQLColumn) -> Bool {
        sameType(lhs.type, rhs.type) && lhs.isNullable == rhs.isNullable && lhs.default == rhs.default
            && lhs.isAutoIncrement == rhs.isAutoIncrement
    }

    private static func diffEnums(from old: SQLSchema, to new: SQLSchema, into plan: inout Plan) {
        for enumeration in new.enums {
            guard let previous = old.enumeration(enumeration.name, schema: enumeration.schema) else {
                plan.createEnums.append(.createEnum(enumeration))
                continue
            }
            // Prisma compares an enum's values as a set: order alone is never a change (a database
            // whose values were appended in another order is in sync). New values still go where
            // the schema puts them (`addedValues` places each before its follower).
            let previousValues = Set(previous.values)
            guard previousValues != Set(enumeration.values) else { continue }
            if previousValues.isSubset(of: enumeration.values) {
                plan.createEnums.append(.addEnumValues(from: previous, to: enumeration))
            } else {
                plan.createEnums.append(.recreateEnum(from: previous, to: enumeration))
            }
        }
        for enumeration in old.enums where new.enumeration(enumeration.name, schema: enumeration.schema) == nil {
            plan.dropEnums.append(.dropEnum(enumeration))
        }
    }
}
