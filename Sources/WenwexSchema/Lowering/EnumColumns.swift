public import WenwexSQL

/// A column whose values come from a Prisma enum, with the values it may hold.
///
/// On SQLite an enum column is plain `TEXT`, so the lowered `SQLSchema` no longer says which
/// values are allowed; tools that write data (the seeder) need them from here instead.
public struct EnumColumn: Sendable, Hashable {
    public var table: String
    public var schema: String?
    public var column: String
    /// Database spellings (after `@map`), in declaration order.
    public var values: [String]

    public init(table: String, schema: String?, column: String, values: [String]) {
        self.table = table
        self.schema = schema
        self.column = column
        self.values = values
    }
}

extension SchemaLowering {
    /// The enum-typed columns of `schema` as `lower(_:dialect:)` names them for `dialect`.
    public static func enumColumns(_ schema: PrismaSchema, dialect: SQLDialect) -> [EnumColumn] {
        let context = LoweringContext(schema: schema, dialect: dialect)
        return context.models.flatMap { model in
            context.columnFields(of: model).compactMap { field -> EnumColumn? in
                guard case .enum(let enumeration) = context.lookup.resolve(field.type) else { return nil }
                return EnumColumn(
                    table: context.tableName(model),
                    schema: context.schemaName(model),
                    column: context.columnName(field),
                    values: enumeration.enumValues.map(context.enumValueName)
                )
            }
        }
    }
}
