import WenwexSQL

extension SchemaChange: CustomStringConvertible {
    /// One line a person can read in a drift report or a lint finding, e.g.
    /// `added column "users"."referral_code" (TEXT, nullable)`.
    public var description: String {
        switch self {
        case .createExtension(let created): "added extension \(quoted(created.name))"
        case .updateExtension(let updated):
            "updated extension \(quoted(updated.name)) to version \(quoted(updated.version ?? ""))"
        case .dropExtension(let dropped): "removed extension \(quoted(dropped.name))"
        case .dropKept(let object): "removed \(object) (schema.prisma cannot express it)"
        case .addPrimaryKeyUsingIndex(let table, let key, let index):
            "made unique index \(quoted(index.name)) the primary key \(quoted(key.name ?? "")) of \(quoted(table))"
        case .renameConstraint(let table, let old, let new):
            "renamed constraint \(quoted(old)) on \(quoted(table)) to \(quoted(new))"
        case .renameIndex(let table, let old, let new):
            "renamed index \(quoted(old.name)) on \(quoted(table)) to \(quoted(new.name))"
        case .createEnum(let enumeration):
            "added enum \(quoted(enumeration.name)) (\(enumeration.values.joined(separator: ", ")))"
        case .addEnumValues(let old, let new):
            "added values \(new.values.filter { !old.values.contains($0) }.joined(separator: ", ")) to enum \(quoted(new.name))"
        case .recreateEnum(let old, let new):
            "changed enum \(quoted(new.name)) from (\(old.values.joined(separator: ", "))) to (\(new.values.joined(separator: ", ")))"
        case .dropEnum(let enumeration): "removed enum \(quoted(enumeration.name))"
        case .createTable(let table): "added table \(quoted(TableName(of: table)))"
        case .dropTable(let table): "removed table \(quoted(TableName(of: table)))"
        case .addColumn(let table, let column): "added column \(quoted(table, column.name)) (\(Self.describe(column)))"
        case .dropColumn(let table, let column): "removed column \(quoted(table, column.name))"
        case .alterColumn(let table, let old, let new):
            "changed column \(quoted(table, new.name)) from (\(Self.describe(old))) to (\(Self.describe(new)))"
        case .dropPrimaryKey(let table, let key):
            "removed primary key of \(quoted(table)) (\(key.columns.joined(separator: ", ")))"
        case .addPrimaryKey(let table, let key):
            "added primary key to \(quoted(table)) (\(key.columns.joined(separator: ", ")))"
        case .dropIndex(let table, let index):
            "removed \(index.isUnique ? "unique index" : "index") \(quoted(index.name)) on \(quoted(table))"
        case .createIndex(let table, let index):
            "added \(index.isUnique ? "unique index" : "index") \(quoted(index.name)) on \(quoted(table)) (\(index.columns.map(\.name).joined(separator: ", ")))"
        case .dropForeignKey(let table, let key): "removed foreign key \(quoted(key.name)) on \(quoted(table))"
        case .addForeignKey(let table, let key):
            "added foreign key \(quoted(key.name)) on \(quoted(table)) → \(quoted(key.referencedTable)) (ON DELETE \(key.onDelete.sql))"
        }
    }

    private func quoted(_ name: String) -> String { "\"\(name)\"" }

    private func quoted(_ table: TableName) -> String {
        table.schema.map { "\"\($0)\".\"\(table.name)\"" } ?? "\"\(table.name)\""
    }

    private func quoted(_ table: TableName, _ column: String) -> String {
        quoted(table) + ".\"\(column)\""
    }

    static func describe(_ column: SQLColumn) -> String {
        var parts = [column.type.text, column.isNullable ? "nullable" : "required"]
        switch column.default {
        case .literal(let value): parts.append("default \(value)")
        case .currentTimestamp: parts.append("default now")
        case .expression(let text): parts.append("default \(text)")
        case .sequence: parts.append("autoincrement")
        case .applicationGenerated, nil: break
        }
        if column.isAutoIncrement, !parts.contains("autoincrement") { parts.append("autoincrement") }
        return parts.joined(separator: ", ")
    }
}
