import WenwexSQL

/// A model as pull writes it: the table it comes from, its Prisma name, fields and block
/// attributes as schema text. The printer lays them out and the formatter aligns them.
struct PulledModel {
    var table: SQLTable
    var name: String
    var fields: [PulledField] = []
    /// `@@id(…)`, `@@unique(…)`, `@@index(…)`, `@@map(…)`, `@@schema(…)`, `@@ignore`, in order.
    var attributes: [String] = []
    /// `///` lines above the model, without the slashes.
    var documentation: [String] = []
    /// Prisma's names for the table's columns, by column name.
    var fieldNames: [String: String] = [:]
    /// The field names taken so far (scalars, then relation fields).
    var scope = NameScope()
    var isIgnored = false

    var key: TableKey { TableKey(table) }

    /// The field of a column.
    func field(forColumn column: String) -> PulledField? {
        fieldNames[column].flatMap { name in fields.first { $0.name == name } }
    }
}

/// One field line: `name Type attributes`.
struct PulledField {
    var name: String
    /// `String`, `Role?`, `Post[]`, `Unsupported("point")?`.
    var type: String
    var attributes: [String] = []
    var documentation: [String] = []
    /// The column this field stores, `nil` for relation fields.
    var column: String?
    /// The Prisma type without modifiers (`String`, `Role`, `Unsupported`), to compare the two
    /// ends of a relation.
    var baseType: String = ""
    var isOptional = false
    var isUnsupported = false
    /// The side of a relation without the foreign key (`posts Post[]`, `profile Profile?`).
    var isBackRelation = false
}

/// An enum as pull writes it.
struct PulledEnum {
    var source: SQLEnum
    var name: String
    /// Prisma's names for the values, in database order, with the database spelling.
    var values: [(name: String, database: String)]
    var attributes: [String] = []
}

/// A table by schema and name: how foreign keys find the table they reference.
struct TableKey: Hashable {
    var schema: String
    var name: String

    init(schema: String?, name: String) {
        self.schema = schema ?? ""
        self.name = name
    }

    init(_ table: SQLTable) {
        self.init(schema: table.schema, name: table.name)
    }
}
