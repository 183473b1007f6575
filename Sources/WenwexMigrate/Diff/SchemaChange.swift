public import WenwexSQL

/// A table's identity: its name and, with multi-schema setups, its PostgreSQL schema.
public struct TableName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var name: String
    public var schema: String?

    public init(_ name: String, schema: String? = nil) {
        self.name = name
        self.schema = schema
    }

    public init(of table: SQLTable) {
        self.init(table.name, schema: table.schema)
    }

    public var description: String { schema.map { "\($0).\(name)" } ?? name }

    public static func < (lhs: TableName, rhs: TableName) -> Bool {
        (lhs.schema ?? "", lhs.name) < (rhs.schema ?? "", rhs.name)
    }
}

/// One step from one schema to another, independent of dialect.
///
/// The differ emits them in an order where each is valid when it runs (foreign keys dropped
/// before the tables they point at, enums created before the columns that use them); each
/// dialect's renderer turns them into SQL, and may group several (SQLite redefines a table
/// instead of altering it).
public enum SchemaChange: Sendable, Hashable {
    /// `CREATE EXTENSION IF NOT EXISTS`: a datasource's `extensions = [...]`.
    case createExtension(SQLExtension)
    /// `ALTER EXTENSION … UPDATE TO`: the datasource names another `version:` than the one
    /// installed.
    case updateExtension(SQLExtension)
    /// Only with `SchemaDiffer.Options.dropsUnmanagedObjects`.
    case dropExtension(SQLExtension)
    /// A partial or expression index, trigger, function, view or policy the schema cannot
    /// express; only with `SchemaDiffer.Options.dropsUnmanagedObjects`.
    case dropKept(SQLKeptObject)

    case createEnum(SQLEnum)
    /// New values added; every old value is kept, in the same order.
    case addEnumValues(from: SQLEnum, to: SQLEnum)
    /// Values removed or reordered: PostgreSQL can only do this by creating a new type and
    /// converting every column to it.
    case recreateEnum(from: SQLEnum, to: SQLEnum)
    case dropEnum(SQLEnum)

    case createTable(SQLTable)
    case dropTable(SQLTable)

    case addColumn(TableName, SQLColumn)
    case dropColumn(TableName, SQLColumn)
    case alterColumn(TableName, from: SQLColumn, to: SQLColumn)

    case dropPrimaryKey(TableName, SQLPrimaryKey)
    case addPrimaryKey(TableName, SQLPrimaryKey)

    /// `ADD CONSTRAINT … PRIMARY KEY USING INDEX`: a unique index over the key's columns becomes
    /// the key without a rebuild (Prisma 5's join tables, `_AB_unique`, to Prisma 6's `_AB_pkey`).
    case addPrimaryKeyUsingIndex(TableName, SQLPrimaryKey, index: SQLIndex)

    case dropIndex(TableName, SQLIndex)
    case createIndex(TableName, SQLIndex)
    /// The same definition under another name: `ALTER INDEX … RENAME TO`, not a rebuild.
    case renameIndex(TableName, from: SQLIndex, to: SQLIndex)
    /// A primary or foreign key that differs only by name: `ALTER TABLE … RENAME CONSTRAINT`.
    case renameConstraint(TableName, from: String, to: String)

    case dropForeignKey(TableName, SQLForeignKey)
    case addForeignKey(TableName, SQLForeignKey)

    /// The table the change touches, if it touches one.
    public var table: TableName? {
        switch self {
        case .createEnum, .addEnumValues, .recreateEnum, .dropEnum, .createExtension, .updateExtension, .dropExtension:
            nil
        case .dropKept(let object): object.table.map { TableName($0, schema: object.schema) }
        case .createTable(let table), .dropTable(let table): TableName(of: table)
        case .addColumn(let name, _), .dropColumn(let name, _), .alterColumn(let name, _, _),
            .dropPrimaryKey(let name, _), .addPrimaryKey(let name, _), .dropIndex(let name, _),
            .createIndex(let name, _), .dropForeignKey(let name, _), .addForeignKey(let name, _),
            .addPrimaryKeyUsingIndex(let name, _, _), .renameIndex(let name, _, _), .renameConstraint(let name, _, _):
            name
        }
    }
}

extension SQLUnique {
    /// The unique index Prisma creates for it; the renderers and the differ treat uniques and
    /// indexes alike.
    var asIndex: SQLIndex {
        SQLIndex(name: name, columns: columns.map { SQLIndex.Column($0) }, isUnique: true)
    }
}

extension SQLTable {
    /// Unique constraints and indexes together, by name: both are created as indexes.
    var allIndexes: [SQLIndex] {
        (uniques.map(\.asIndex) + indexes).sorted { $0.name < $1.name }
    }
}
