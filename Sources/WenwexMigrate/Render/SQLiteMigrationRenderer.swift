public import WenwexSQL

/// Renders schema changes as SQLite DDL, in the shape Prisma Migrate writes.
///
/// SQLite's `ALTER TABLE` can add a plain column and little else, so every other change to an
/// existing table goes through SQLite's documented table-redefinition procedure: create the
/// new table as `new_T`, copy the rows of the columns both versions share, drop the old table,
/// rename the new one into place and re-create its indexes. The applier turns foreign keys off
/// around the migration and runs `PRAGMA foreign_key_check` before committing, so rows are kept
/// and references still hold.
public struct SQLiteMigrationRenderer: MigrationRenderer {
    public init() {}

    public func render(_ changes: [SchemaChange], from old: SQLSchema, to new: SQLSchema) -> MigrationScript {
        let redefined = tablesToRedefine(changes, in: new)
        var steps: [MigrationStep] = []
        func add(_ comment: String, _ statements: [String]) {
            if let last = steps.last, last.comment == comment {
                steps[steps.count - 1].statements += statements
            } else {
                steps.append(MigrationStep(comment, statements))
            }
        }
        var redefinitions: [String] = []
        for change in changes {
            if let table = change.table, redefined.contains(table) {
                continue
            }
            switch change {
            case .createEnum, .addEnumValues, .recreateEnum, .dropEnum:
                // SQLite has no enum types: enum columns are TEXT and their values are checked
                // by the client, as with Prisma.
                continue
            case .createTable(let table):
                // Foreign keys are part of the table in SQLite.
                let full = new.table(table.name, schema: table.schema) ?? table
                add("CreateTable", [createTable(full, name: table.name)])
            case .dropTable(let table):
                add("DropTable", ["DROP TABLE \(SQLText.quote(table.name))"])
            case .addColumn(let table, let column):
                add(
                    "AlterTable",
                    ["ALTER TABLE \(SQLText.quote(table.name)) ADD COLUMN \(columnDefinition(column, primaryKey: []))"]
                )
            case .dropIndex(_, let index):
                add("DropIndex", ["DROP INDEX \(SQLText.quote(index.name))"])
            case .renameIndex(let table, let old, let new):
                // SQLite has no `ALTER INDEX`: the index is built again under its new name.
                add("DropIndex", ["DROP INDEX \(SQLText.quote(old.name))"])
                add("CreateIndex", [createIndex(new, on: table.name)])
            case .createExtension, .updateExtension, .dropExtension:
                continue  // PostgreSQL only.
            case .dropKept(let object):
                switch object.kind {
                case .index: add("DropUnmanaged", ["DROP INDEX \(SQLText.quote(object.name))"])
                case .trigger: add("DropUnmanaged", ["DROP TRIGGER \(SQLText.quote(object.name))"])
                case .view: add("DropUnmanaged", ["DROP VIEW \(SQLText.quote(object.name))"])
                case .extension, .function, .policy, .materializedView, .rowLevelSecurity, .sequence, .domain:
                    continue  // PostgreSQL only.
                }
            case .createIndex(let table, let index):
                add("CreateIndex", [createIndex(index, on: table.name)])
            case .addForeignKey, .dropForeignKey:
                // Only for new or dropped tables here: their foreign keys come and go with them.
                continue
            case .dropColumn, .alterColumn, .dropPrimaryKey, .addPrimaryKey, .addPrimaryKeyUsingIndex,
                .renameConstraint:
                continue  // Always redefined.
            }
        }
        for name in redefined.sorted() {
            guard let previous = old.table(name.name, schema: name.schema),
                let table = new.table(name.name, schema: name.schema)
            else { continue }
            redefinitions += redefine(previous, as: table)
        }
        if !redefinitions.isEmpty {
            add(
                "RedefineTables",
                ["PRAGMA defer_foreign_keys=ON", "PRAGMA foreign_keys=OFF"] + redefinitions
                    + ["PRAGMA foreign_keys=ON", "PRAGMA defer_foreign_keys=OFF"]
            )
        }
        return MigrationScript(steps: steps)
    }

    /// Existing tables with a change that `ALTER TABLE … ADD COLUMN` and `CREATE/DROP INDEX`
    /// cannot make.
    private func tablesToRedefine(_ changes: [SchemaChange], in new: SQLSchema) -> Set<TableName> {
        var result: Set<TableName> = []
        let created = Set(
            changes.compactMap { change -> TableName? in
                if case .createTable(let table) = change { return TableName(of: table) }
                return nil
            }
        )
        let dropped = Set(
            changes.compactMap { change -> TableName? in
                if case .dropTable(let table) = change { return TableName(of: table) }
                return nil
            }
        )
        for change in changes {
            guard let table = change.table, !created.contains(table), !dropped.contains(table) else { continue }
            switch change {
            case .dropColumn, .alterColumn, .dropPrimaryKey, .addPrimaryKey, .addPrimaryKeyUsingIndex, .addForeignKey,
                .dropForeignKey, .renameConstraint:
                result.insert(table)
            case .addColumn(_, let column):
                let target = new.table(table.name, schema: table.schema)
                if !canAdd(column, to: target) { result.insert(table) }
            default:
                break
            }
        }
        return result
    }

    /// What SQLite's `ADD COLUMN` allows: not part of the primary key or of a foreign key, and
    /// `NOT NULL` only with a constant default.
    private func canAdd(_ column: SQLColumn, to table: SQLTable?) -> Bool {
        if column.isAutoIncrement { return false }
        if table?.primaryKey?.columns.contains(column.name) == true { return false }
        if table?.foreignKeys.contains(where: { $0.columns.contains(column.name) }) == true { return false }
        switch column.default {
        case .currentTimestamp, .expression, .sequence: return false
        case .literal: return true
        case .applicationGenerated, nil: return column.isNullable
        }
    }

    private func redefine(_ old: SQLTable, as new: SQLTable) -> [String] {
        let temporary = "new_" + new.name
        let kept = new.columns.map(\.name).filter { old.column($0) != nil }
        var statements = [createTable(new, name: temporary)]
        if !kept.isEmpty {
            statements.append(
                "INSERT INTO \(SQLText.quote(temporary)) (\(SQLText.columnList(kept))) SELECT \(SQLText.columnList(kept)) FROM \(SQLText.quote(old.name))"
            )
        }
        statements.append("DROP TABLE \(SQLText.quote(old.name))")
        statements.append("ALTER TABLE \(SQLText.quote(temporary)) RENAME TO \(SQLText.quote(new.name))")
        statements += new.allIndexes.map { createIndex($0, on: new.name) }
        return statements
    }

    private func createTable(_ table: SQLTable, name: String) -> String {
        let key = table.primaryKey?.columns ?? []
        var lines = table.columns.map { "    " + columnDefinition($0, primaryKey: key) }
        if key.count > 1 {
            lines.append(
                "    CONSTRAINT \(SQLText.quote(table.primaryKey?.name ?? table.name + "_pkey")) PRIMARY KEY (\(SQLText.columnList(key)))"
            )
        }
        for foreignKey in table.foreignKeys {
            lines.append("    CONSTRAINT \(SQLText.quote(foreignKey.name)) " + SQLText.foreignKeyClause(foreignKey))
        }
        return "CREATE TABLE \(SQLText.quote(name)) (\n" + lines.joined(separator: ",\n") + "\n)"
    }

    private func columnDefinition(_ column: SQLColumn, primaryKey: [String]) -> String {
        var text = "\(SQLText.quote(column.name)) \(column.type.text)"
        if !column.isNullable { text += " NOT NULL" }
        if primaryKey == [column.name] {
            text += " PRIMARY KEY" + (column.isAutoIncrement ? " AUTOINCREMENT" : "")
        }
        if let value = column.default, let sql = defaultText(value) { text += " DEFAULT " + sql }
        return text
    }

    private func defaultText(_ value: SQLDefault) -> String? {
        switch value {
        case .literal(let literal): SQLText.literal(literal)
        case .currentTimestamp: "CURRENT_TIMESTAMP"
        case .expression(let text): text.hasPrefix("(") && text.hasSuffix(")") ? text : "(\(text))"
        case .sequence, .applicationGenerated: nil
        }
    }

    private func createIndex(_ index: SQLIndex, on table: String) -> String {
        "CREATE \(index.isUnique ? "UNIQUE " : "")INDEX \(SQLText.quote(index.name)) ON \(SQLText.quote(table))"
            + SQLText.indexColumns(index) + SQLText.indexCondition(index)
    }
}
