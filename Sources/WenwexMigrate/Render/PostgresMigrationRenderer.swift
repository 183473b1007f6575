public import WenwexSQL

/// Renders schema changes as PostgreSQL DDL, in the shape Prisma Migrate writes.
///
/// PostgreSQL's DDL is transactional, so a migration is applied whole or not at all and needs
/// no rebuild tricks: columns change type in place with `USING` casts, and an enum that loses
/// values is replaced by a new type that every column is converted to.
public struct PostgresMigrationRenderer: MigrationRenderer {
    /// Plain (Prisma's) or online (``DDLForm``).
    public var form: DDLForm

    public init(form: DDLForm = .plain) {
        self.form = form
    }

    public func render(_ changes: [SchemaChange], from old: SQLSchema, to new: SQLSchema) -> MigrationScript {
        var steps: [MigrationStep] = []
        var online = form == .online ? PostgresOnlineDDL(changes, from: old, to: new) : nil
        // Old enum types still used by columns that later steps drop or convert.
        var droppedLast: [String] = []
        func add(_ comment: String, _ statements: [String]) {
            if let last = steps.last, last.comment == comment {
                steps[steps.count - 1].statements += statements
            } else {
                steps.append(MigrationStep(comment, statements))
            }
        }
        for change in changes {
            switch change {
            case .createExtension(let created):
                // The schema an extension goes into may not exist in a fresh database
                // (Supabase has `extensions`; an empty database does not).
                add(
                    "CreateExtension",
                    created.schema.map { ["CREATE SCHEMA IF NOT EXISTS \(SQLText.quote($0))"] } ?? []
                )
                add(
                    "CreateExtension",
                    [
                        "CREATE EXTENSION IF NOT EXISTS \(SQLText.quote(created.name))"
                            + (created.schema.map { " WITH SCHEMA \(SQLText.quote($0))" } ?? "")
                            + (created.version.map { " VERSION \(SQLText.literal(.string($0)))" } ?? "")
                    ]
                )
            case .updateExtension(let updated):
                add(
                    "AlterExtension",
                    [
                        "ALTER EXTENSION \(SQLText.quote(updated.name)) UPDATE TO "
                            + SQLText.literal(.string(updated.version ?? ""))
                    ]
                )
            case .dropExtension(let dropped):
                add("DropExtension", ["DROP EXTENSION \(SQLText.quote(dropped.name))"])
            case .dropKept(let object):
                add("DropUnmanaged", [dropStatement(object)])
            case .addPrimaryKeyUsingIndex(let table, let key, let index):
                add(
                    "AlterTable",
                    [
                        "ALTER TABLE \(SQLText.qualified(table)) ADD CONSTRAINT \(SQLText.quote(key.name ?? table.name + "_pkey")) "
                            + "PRIMARY KEY USING INDEX \(SQLText.quote(index.name))"
                    ]
                )
            case .renameConstraint(let table, let old, let new):
                add(
                    "RenameConstraint",
                    [
                        "ALTER TABLE \(SQLText.qualified(table)) RENAME CONSTRAINT \(SQLText.quote(old)) TO \(SQLText.quote(new))"
                    ]
                )
            case .renameIndex(let table, let old, let new):
                add(
                    "RenameIndex",
                    [
                        "ALTER INDEX \(SQLText.qualified(old.name, schema: table.schema)) RENAME TO \(SQLText.quote(new.name))"
                    ]
                )
            case .createEnum(let enumeration):
                add(
                    "CreateEnum",
                    [
                        "CREATE TYPE \(SQLText.qualified(enumeration.name, schema: enumeration.schema)) AS ENUM ("
                            + enumeration.values.map(SQLText.string).joined(separator: ", ") + ")"
                    ]
                )
            case .addEnumValues(let previous, let enumeration):
                add("AlterEnum", addedValues(from: previous, to: enumeration))
            case .recreateEnum(let previous, let enumeration):
                add("AlterEnum", recreate(previous, as: enumeration, in: old, target: new))
                droppedLast.append(
                    "DROP TYPE \(SQLText.qualified(enumeration.name + "_old", schema: enumeration.schema))"
                )
            case .dropEnum(let enumeration):
                add("DropEnum", ["DROP TYPE \(SQLText.qualified(enumeration.name, schema: enumeration.schema))"])
            case .createTable(let table):
                add("CreateTable", [createTable(table)])
            case .dropTable(let table):
                add("DropTable", ["DROP TABLE \(SQLText.qualified(TableName(of: table)))"])
            case .addColumn(let table, let column):
                add(
                    "AlterTable",
                    ["ALTER TABLE \(SQLText.qualified(table)) ADD COLUMN \(columnDefinition(column, table: table))"]
                )
            case .dropColumn(let table, let column):
                add("AlterTable", ["ALTER TABLE \(SQLText.qualified(table)) DROP COLUMN \(SQLText.quote(column.name))"])
            case .alterColumn(let table, let previous, let column):
                var required = column
                var check: String?
                if previous.isNullable, !column.isNullable, SchemaDiffer.sameType(previous.type, column.type),
                    let notValid = online?.requireColumn(column.name, of: table)
                {
                    required.isNullable = true
                    check = notValid
                }
                add("AlterTable", alterColumn(table, from: previous, to: required) + (check.map { [$0] } ?? []))
            case .dropPrimaryKey(let table, let key):
                if online?.dropPrimaryKey(key, on: table) == true { continue }
                add(
                    "AlterTable",
                    [
                        "ALTER TABLE \(SQLText.qualified(table)) DROP CONSTRAINT "
                            + SQLText.quote(key.name ?? table.name + "_pkey")
                    ]
                )
            case .addPrimaryKey(let table, let key):
                if online?.addPrimaryKey(key, on: table) == true { continue }
                add(
                    "AlterTable",
                    [
                        "ALTER TABLE \(SQLText.qualified(table)) ADD CONSTRAINT \(SQLText.quote(key.name ?? table.name + "_pkey")) "
                            + "PRIMARY KEY (\(SQLText.columnList(key.columns)))"
                    ]
                )
            case .dropIndex(let table, let index):
                if online?.dropIndex(index, on: table) == true { continue }
                add("DropIndex", ["DROP INDEX \(SQLText.qualified(index.name, schema: table.schema))"])
            case .createIndex(let table, let index):
                if online?.createIndex(index, on: table) == true { continue }
                add("CreateIndex", [Self.createIndex(index, on: table, concurrently: false)])
            case .dropForeignKey(let table, let key):
                add(
                    "DropForeignKey",
                    ["ALTER TABLE \(SQLText.qualified(table)) DROP CONSTRAINT \(SQLText.quote(key.name))"]
                )
            case .addForeignKey(let table, let key):
                if online != nil {
                    if let statement = online?.addForeignKey(key, on: table) { add("AddForeignKey", [statement]) }
                    continue
                }
                add(
                    "AddForeignKey",
                    [
                        "ALTER TABLE \(SQLText.qualified(table)) ADD CONSTRAINT \(SQLText.quote(key.name)) "
                            + SQLText.foreignKeyClause(key)
                    ]
                )
            }
        }
        if !droppedLast.isEmpty { add("DropEnum", droppedLast) }
        return MigrationScript(
            steps: steps,
            concurrentSteps: online?.concurrentSteps ?? [],
            validationSteps: online?.validationSteps ?? []
        )
    }

    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] "name" ON "table" [USING method] (columns)`.
    static func createIndex(_ index: SQLIndex, on table: TableName, concurrently: Bool) -> String {
        let method = index.method.map { " USING \($0.uppercased()) " } ?? ""
        return "CREATE \(index.isUnique ? "UNIQUE " : "")INDEX \(concurrently ? "CONCURRENTLY " : "")"
            + "\(SQLText.quote(index.name)) ON \(SQLText.qualified(table))\(method)\(SQLText.indexColumns(index))"
            + SQLText.indexCondition(index)
    }

    /// The `DROP` for an object the schema cannot express (only with an explicit opt-in).
    private func dropStatement(_ object: SQLKeptObject) -> String {
        let table = object.table.map { SQLText.qualified($0, schema: object.schema) } ?? ""
        switch object.kind {
        case .index: return "DROP INDEX \(SQLText.qualified(object.name, schema: object.schema))"
        case .extension: return "DROP EXTENSION \(SQLText.quote(object.name))"
        case .trigger: return "DROP TRIGGER \(SQLText.quote(object.name)) ON \(table)"
        case .policy: return "DROP POLICY \(SQLText.quote(object.name)) ON \(table)"
        case .rowLevelSecurity: return "ALTER TABLE \(table) NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY"
        case .sequence: return "DROP SEQUENCE \(SQLText.qualified(object.name, schema: object.schema))"
        case .domain: return "DROP DOMAIN \(SQLText.qualified(object.name, schema: object.schema))"
        case .view: return "DROP VIEW \(SQLText.qualified(object.name, schema: object.schema))"
        case .materializedView:
            return "DROP MATERIALIZED VIEW \(SQLText.qualified(object.name, schema: object.schema))"
        case .function:
            // `name(argument types)`: the name is quoted, the signature kept as PostgreSQL printed it.
            let open = object.name.firstIndex(of: "(") ?? object.name.endIndex
            return "DROP FUNCTION "
                + SQLText.qualified(String(object.name[..<open]), schema: object.schema) + object.name[open...]
        }
    }

    // MARK: - Tables and columns

    private func createTable(_ table: SQLTable) -> String {
        let name = TableName(of: table)
        var lines = table.columns.map { "    " + columnDefinition($0, table: name) }
        if let key = table.primaryKey {
            lines.append(
                "    CONSTRAINT \(SQLText.quote(key.name ?? table.name + "_pkey")) PRIMARY KEY (\(SQLText.columnList(key.columns)))"
            )
        }
        return "CREATE TABLE \(SQLText.qualified(name)) (\n" + lines.joined(separator: ",\n") + "\n)"
    }

    /// `"id" SERIAL NOT NULL`, `"role" "Role" NOT NULL DEFAULT 'USER'`.
    private func columnDefinition(_ column: SQLColumn, table: TableName) -> String {
        var type = typeText(column.type, schema: table.schema)
        if column.isAutoIncrement {
            type = Self.serialTypes[column.type.text] ?? type
        }
        var text = "\(SQLText.quote(column.name)) \(type)"
        if !column.isNullable { text += " NOT NULL" }
        if !column.isAutoIncrement, let value = column.default,
            let sql = defaultText(value, type: column.type, schema: table.schema)
        {
            text += " DEFAULT " + sql
        }
        return text
    }

    private static let serialTypes = ["INTEGER": "SERIAL", "BIGINT": "BIGSERIAL", "SMALLINT": "SMALLSERIAL"]

    /// The type as DDL spells it: enum types quoted (and schema-qualified).
    private func typeText(_ type: SQLColumnType, schema: String?) -> String {
        guard case .enum(let name) = type.family else { return type.text }
        return SQLText.qualified(name, schema: schema) + (type.isArray ? "[]" : "")
    }

    private func defaultText(_ value: SQLDefault, type: SQLColumnType, schema: String?) -> String? {
        switch value {
        case .literal(.array(let elements)):
            return SQLText.literal(.array(elements)) + "::" + typeText(type, schema: schema)
        case .literal(let literal): return SQLText.literal(literal)
        case .currentTimestamp: return "CURRENT_TIMESTAMP"
        case .expression(let text): return text
        case .sequence(let name): return "nextval(\(SQLText.string(SQLText.quote(name)))::regclass)"
        case .applicationGenerated: return nil
        }
    }

    /// Type, nullability, default and sequence changes of one column, each its own statement.
    private func alterColumn(_ table: TableName, from old: SQLColumn, to new: SQLColumn) -> [String] {
        let prefix = "ALTER TABLE \(SQLText.qualified(table)) ALTER COLUMN \(SQLText.quote(new.name)) "
        var statements: [String] = []
        let oldDefault = old.default.flatMap { defaultText($0, type: old.type, schema: table.schema) }
        let newDefault = new.default.flatMap { defaultText($0, type: new.type, schema: table.schema) }
        let typeChanges = !SchemaDiffer.sameType(old.type, new.type)
        // The old default may not cast to the new type, so it goes first and comes back after.
        if oldDefault != nil, oldDefault != newDefault || typeChanges || old.isAutoIncrement != new.isAutoIncrement {
            statements.append(prefix + "DROP DEFAULT")
        }
        if typeChanges {
            let target = typeText(new.type, schema: table.schema)
            var statement = prefix + "SET DATA TYPE " + target
            if needsCast(from: old.type, to: new.type) {
                let through = old.type.family.isEnum || new.type.family.isEnum ? "::text" : ""
                statement += " USING (\(SQLText.quote(new.name))\(through)::\(target))"
            }
            statements.append(statement)
        }
        if old.isNullable != new.isNullable {
            statements.append(prefix + (new.isNullable ? "DROP NOT NULL" : "SET NOT NULL"))
        }
        if new.isAutoIncrement, !old.isAutoIncrement {
            // What `SERIAL` does for a new column, done by hand for an existing one.
            let sequence: String
            if case .sequence(let name) = new.default {
                sequence = name
            } else {
                sequence = "\(table.name)_\(new.name)_seq"
            }
            let qualifiedSequence = SQLText.qualified(sequence, schema: table.schema)
            statements.append("CREATE SEQUENCE \(qualifiedSequence)")
            statements.append(prefix + "SET DEFAULT nextval(\(SQLText.string(qualifiedSequence))::regclass)")
            statements.append(
                "ALTER SEQUENCE \(qualifiedSequence) OWNED BY \(SQLText.qualified(table)).\(SQLText.quote(new.name))"
            )
        } else if let newDefault, newDefault != oldDefault || typeChanges || old.isAutoIncrement != new.isAutoIncrement
        {
            statements.append(prefix + "SET DEFAULT " + newDefault)
        }
        if old.isAutoIncrement, !new.isAutoIncrement, case .sequence(let name) = old.default {
            statements.append("DROP SEQUENCE IF EXISTS \(SQLText.qualified(name, schema: table.schema))")
        }
        return statements
    }

    /// Whether PostgreSQL needs `USING`: no assignment cast exists between different kinds of
    /// value (text to integer, text to an enum, one enum to another).
    private func needsCast(from old: SQLColumnType, to new: SQLColumnType) -> Bool {
        if old.family.isEnum || new.family.isEnum { return true }
        if old.isArray != new.isArray { return true }
        let numeric: Set<SQLColumnType.Family> = [.int, .bigInt, .float, .decimal]
        if numeric.contains(old.family), numeric.contains(new.family) { return false }
        return old.family != new.family
    }

    // MARK: - Enums

    /// `ADD VALUE` for each new value, placed before the value that follows it.
    private func addedValues(from old: SQLEnum, to new: SQLEnum) -> [String] {
        let name = SQLText.qualified(new.name, schema: new.schema)
        var existing = Set(old.values)
        var statements: [String] = []
        for (position, value) in new.values.enumerated() where !existing.contains(value) {
            let following = new.values[(position + 1)...].first { existing.contains($0) }
            statements.append(
                "ALTER TYPE \(name) ADD VALUE \(SQLText.string(value))"
                    + (following.map { " BEFORE \(SQLText.string($0))" } ?? "")
            )
            existing.insert(value)
        }
        return statements
    }

    /// Prisma's procedure: rename the old type away, create the new one, and convert each column
    /// that keeps the enum through text (failing, and so rolling back, if a row holds a removed
    /// value). The old type is dropped at the end of the script, once the columns that leave
    /// the enum have been dropped or converted by their own steps.
    private func recreate(_ old: SQLEnum, as new: SQLEnum, in schema: SQLSchema, target: SQLSchema) -> [String] {
        let name = SQLText.qualified(new.name, schema: new.schema)
        let oldName = new.name + "_old"
        var statements = [
            "ALTER TYPE \(name) RENAME TO \(SQLText.quote(oldName))",
            "CREATE TYPE \(name) AS ENUM (" + new.values.map(SQLText.string).joined(separator: ", ") + ")",
        ]
        for table in schema.tables {
            let tableName = TableName(of: table)
            guard let targetTable = target.table(table.name, schema: table.schema) else { continue }
            for column in table.columns where column.type.family == .enum(old.name) {
                guard targetTable.column(column.name)?.type.family == .enum(new.name) else { continue }
                let prefix = "ALTER TABLE \(SQLText.qualified(tableName)) ALTER COLUMN \(SQLText.quote(column.name)) "
                let type = name + (column.type.isArray ? "[]" : "")
                if column.default != nil { statements.append(prefix + "DROP DEFAULT") }
                statements.append(
                    prefix
                        + "TYPE \(type) USING (\(SQLText.quote(column.name))::text\(column.type.isArray ? "[]" : "")::\(type))"
                )
                if case .literal(.string(let value)) = column.default, new.values.contains(value) {
                    statements.append(prefix + "SET DEFAULT \(SQLText.string(value))")
                }
            }
        }
        return statements
    }
}

extension SQLColumnType.Family {
    var isEnum: Bool {
        if case .enum = self { return true }
        return false
    }
}
