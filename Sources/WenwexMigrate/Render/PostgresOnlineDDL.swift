public import WenwexSQL

/// Whether a migration's DDL may hold a lock on a live table while it reads every row.
public enum DDLForm: Sendable, Hashable {
    /// Prisma's form: every statement in one transaction, each lock held until it commits.
    /// Right for tables small enough that a scan under `ACCESS EXCLUSIVE` goes unnoticed.
    case plain
    /// What `migrate dev` writes by default on PostgreSQL, so a deploy never stops traffic
    /// while it works through rows: indexes on existing tables are built (and dropped)
    /// `CONCURRENTLY` in a file of their own; foreign keys and required columns are first added
    /// `NOT VALID` (instant) and validated in a later file under a lock that lets reads and
    /// writes go on. Tables the migration creates are empty and keep the plain form.
    case online
}

/// The online form's decisions for one PostgreSQL migration, and the statements it moves out
/// of the main transaction (``MigrationScript/concurrentSteps`` and
/// ``MigrationScript/validationSteps``).
///
/// Moving a statement later must not break one that stays: an index dropped later keeps its
/// place when the main file creates another of the same name, a foreign key that needs a unique
/// index built concurrently comes after the build, and a table rewritten by a type change keeps
/// its index changes in the rewrite (which rebuilds its indexes anyway).
struct PostgresOnlineDDL {
    struct ReferencedKey: Hashable {
        var table: TableName
        var columns: Set<String>
    }

    private let old: SQLSchema
    private let new: SQLSchema
    /// Index names the main transaction creates (on new tables, or by renaming).
    private let namesCreatedInTransaction: Set<String>
    /// Tables whose rows a column type change rewrites.
    private let rewrittenTables: Set<TableName>
    /// Unique indexes built concurrently: a foreign key that references one must wait for it.
    private let concurrentUniqueKeys: Set<ReferencedKey>
    /// Live tables that get a new primary key, built as a unique index concurrently and made the
    /// key with `USING INDEX`.
    private let tablesWithNewKeys: Set<TableName>
    /// A replaced key's old constraint, dropped in the same statement that adds the new one.
    private var replacedKeys: [TableName: String] = [:]
    private var keyAdds: [String] = []

    private(set) var concurrentSteps: [MigrationStep] = []
    private var validations: [String] = []
    private var notNulls: [String] = []
    private var checkDrops: [String] = []

    init(_ changes: [SchemaChange], from old: SQLSchema, to new: SQLSchema) {
        self.old = old
        self.new = new
        func isLive(_ table: TableName) -> Bool { Self.isLive(table, from: old, to: new) }
        var created: Set<String> = []
        var rewritten: Set<TableName> = []
        var uniqueKeys: Set<ReferencedKey> = []
        var newKeys: [(TableName, SQLPrimaryKey)] = []
        var loosened: Set<TableName> = []
        for change in changes {
            switch change {
            case .addPrimaryKey(let table, let key) where isLive(table):
                newKeys.append((table, key))
            case .createIndex(let table, let index):
                if !isLive(table) {
                    created.insert(index.name)
                } else if index.isUnique {
                    uniqueKeys.insert(ReferencedKey(table: table, columns: Set(index.columns.map(\.name))))
                }
            case .renameIndex(_, _, let renamed):
                created.insert(renamed.name)
            case .alterColumn(let table, let previous, let column)
            where !SchemaDiffer.sameType(previous.type, column.type):
                rewritten.insert(table)
            case .alterColumn(let table, let previous, let column) where !previous.isNullable && column.isNullable:
                // It may leave the old key, which must be gone before the column can be optional.
                loosened.insert(table)
            default:
                break
            }
        }
        namesCreatedInTransaction = created
        rewrittenTables = rewritten
        let keyed = newKeys.filter { !rewritten.contains($0.0) && !loosened.contains($0.0) }
        for (table, key) in keyed { uniqueKeys.insert(ReferencedKey(table: table, columns: Set(key.columns))) }
        concurrentUniqueKeys = uniqueKeys
        tablesWithNewKeys = Set(keyed.map(\.0))
    }

    /// A table that holds rows before and after the migration.
    func isLive(_ table: TableName) -> Bool { Self.isLive(table, from: old, to: new) }

    private static func isLive(_ table: TableName, from old: SQLSchema, to new: SQLSchema) -> Bool {
        old.table(table.name, schema: table.schema) != nil && new.table(table.name, schema: table.schema) != nil
    }

    /// The scans first, then the instant `SET NOT NULL`s and primary keys `USING INDEX` (whose
    /// columns must be required by then): a lock strong enough to stop reads is only taken once
    /// every row has been read.
    var validationSteps: [MigrationStep] {
        [
            MigrationStep("ValidateConstraint", validations),
            MigrationStep("AlterTable", notNulls + keyAdds + checkDrops),
        ]
        .filter { !$0.statements.isEmpty }
    }

    // MARK: - Primary keys

    /// Leaves a live table's old key in place until its replacement is ready; `false` when the
    /// table gets no new key here, and the main file drops it.
    mutating func dropPrimaryKey(_ key: SQLPrimaryKey, on table: TableName) -> Bool {
        guard tablesWithNewKeys.contains(table) else { return false }
        replacedKeys[table] = key.name ?? table.name + "_pkey"
        return true
    }

    /// A live table's new key: its unique index built concurrently, then one instant statement
    /// that drops the old key (if any) and makes the index the key.
    mutating func addPrimaryKey(_ key: SQLPrimaryKey, on table: TableName) -> Bool {
        guard tablesWithNewKeys.contains(table) else { return false }
        let name = key.name ?? table.name + "_pkey"
        let old = replacedKeys[table]
        // The old key's index holds the name until the swap.
        let building = old == nil ? name : name + "_new"
        let index = SQLIndex(name: building, columns: key.columns.map { SQLIndex.Column($0) }, isUnique: true)
        append(
            "CreateIndex",
            [
                "DROP INDEX CONCURRENTLY IF EXISTS \(SQLText.qualified(building, schema: table.schema))",
                PostgresMigrationRenderer.createIndex(index, on: table, concurrently: true),
            ]
        )
        // IF EXISTS: dropping one of its columns in the main file takes the old key with it.
        let drop = old.map { "DROP CONSTRAINT IF EXISTS \(SQLText.quote($0)), " } ?? ""
        keyAdds.append(
            "ALTER TABLE \(SQLText.qualified(table)) \(drop)ADD CONSTRAINT \(SQLText.quote(name)) PRIMARY KEY USING INDEX \(SQLText.quote(building))"
        )
        return true
    }

    // MARK: - Indexes

    /// Builds the index concurrently when its table is live; `false` leaves it to the main file.
    mutating func createIndex(_ index: SQLIndex, on table: TableName) -> Bool {
        guard isLive(table) else { return false }
        append(
            "CreateIndex",
            [
                "DROP INDEX CONCURRENTLY IF EXISTS \(SQLText.qualified(index.name, schema: table.schema))",
                PostgresMigrationRenderer.createIndex(index, on: table, concurrently: true),
            ]
        )
        return true
    }

    /// Drops the index concurrently when nothing in the main file depends on its absence.
    mutating func dropIndex(_ index: SQLIndex, on table: TableName) -> Bool {
        guard isLive(table), !rewrittenTables.contains(table), !namesCreatedInTransaction.contains(index.name)
        else { return false }
        // IF EXISTS: dropping a column in the main file takes its indexes with it.
        append(
            "DropIndex",
            ["DROP INDEX CONCURRENTLY IF EXISTS \(SQLText.qualified(index.name, schema: table.schema))"]
        )
        return true
    }

    // MARK: - Constraints

    /// The main file's statement for a new foreign key, or `nil` when it moves after the
    /// concurrent index builds because it references one of them.
    mutating func addForeignKey(_ key: SQLForeignKey, on table: TableName) -> String? {
        let name = SQLText.quote(key.name)
        let alter = "ALTER TABLE \(SQLText.qualified(table)) "
        let referenced = ReferencedKey(
            table: TableName(key.referencedTable, schema: key.referencedSchema ?? table.schema),
            columns: Set(key.referencedColumns)
        )
        if concurrentUniqueKeys.contains(referenced) {
            // One statement, so retrying the file after a failure finds it as it left it.
            append(
                "AddForeignKey",
                [
                    alter
                        + "DROP CONSTRAINT IF EXISTS \(name), ADD CONSTRAINT \(name) \(SQLText.foreignKeyClause(key)) NOT VALID"
                ]
            )
            validations.append(alter + "VALIDATE CONSTRAINT \(name)")
            return nil
        }
        guard isLive(table) else { return alter + "ADD CONSTRAINT \(name) " + SQLText.foreignKeyClause(key) }
        validations.append(alter + "VALIDATE CONSTRAINT \(name)")
        return alter + "ADD CONSTRAINT \(name) \(SQLText.foreignKeyClause(key)) NOT VALID"
    }

    /// For a live column becoming required without a rewrite: the main file's `CHECK … NOT
    /// VALID` (enforced on new rows at once), validated later, then `SET NOT NULL`, which
    /// PostgreSQL proves from the validated check without a scan, and the check dropped.
    mutating func requireColumn(_ column: String, of table: TableName) -> String? {
        guard isLive(table), !rewrittenTables.contains(table) else { return nil }
        let alter = "ALTER TABLE \(SQLText.qualified(table)) "
        let check = SQLText.quote("\(table.name)_\(column)_not_null")
        validations.append(alter + "VALIDATE CONSTRAINT \(check)")
        notNulls.append(alter + "ALTER COLUMN \(SQLText.quote(column)) SET NOT NULL")
        checkDrops.append(alter + "DROP CONSTRAINT IF EXISTS \(check)")
        return alter + "ADD CONSTRAINT \(check) CHECK (\(SQLText.quote(column)) IS NOT NULL) NOT VALID"
    }

    private mutating func append(_ comment: String, _ statements: [String]) {
        if let last = concurrentSteps.last, last.comment == comment {
            concurrentSteps[concurrentSteps.count - 1].statements += statements
        } else {
            concurrentSteps.append(MigrationStep(comment, statements))
        }
    }
}
