public import WenwexSQL

/// Turns a Prisma schema into the SQL schema model, the way Prisma Migrate would create it.
///
/// The aim is equality: a database Prisma created from `schema.prisma` and the model lowered
/// here from the same file compare `==` (after `SQLSchema.databaseView`), so Wenwex can take
/// over an existing Prisma project without a spurious migration. That is why every name and
/// type below follows Prisma's conventions rather than our own taste.
///
/// Tables come from models (`@@ignore`d ones too, as Prisma creates them; not views or
/// composite types) and implicit many-to-many relations; `@ignore`d scalar fields keep their
/// column. The schema must be valid
/// (`SchemaCheck.isValid`); lowering an invalid one skips what it cannot make sense of.
public enum SchemaLowering {
    public static func lower(_ schema: PrismaSchema, dialect: SQLDialect) -> SQLSchema {
        let context = LoweringContext(schema: schema, dialect: dialect)
        let models = context.models
        var tables: [SQLTable] = []
        tables.reserveCapacity(models.count)
        var joinTables: [String: SQLTable] = [:]
        for model in models {
            tables.append(table(for: model, context))
            RelationLowering.addJoinTables(of: model, to: &joinTables, context)
        }
        let lowered = SQLSchema(
            tables: tables + joinTables.values,
            enums: enums(context),
            extensions: extensions(context)
        )
        return dialect == .postgres ? PostgresIdentifiers.cut(lowered) : lowered
    }

    /// The datasource's `extensions = [citext, pg_trgm(schema: "x", version: "1.6")]` on
    /// PostgreSQL, created before anything that needs them (a `citext` column, a `gin_trgm_ops`
    /// index), and the extensions an index's operator class comes from when the datasource does
    /// not list them: Prisma accepts `ops: raw("gin_trgm_ops")` without the preview feature, and
    /// the index cannot be built on an empty database unless `pg_trgm` is installed first.
    private static func extensions(_ context: LoweringContext) -> [SQLExtension] {
        guard context.dialect == .postgres else { return [] }
        let declared = declaredExtensions(context)
        let names = Set(declared.map(\.name))
        let implied = Set(
            context.models.flatMap { model in
                model.blockAttributes(.index).flatMap { attribute -> [String] in
                    let method = attribute.argument("type")?.value.constantName?.lowercased()
                    return (attribute.argument("fields", position: 0)?.value.elements ?? []).compactMap { element in
                        guard case .function(_, let arguments) = element.kind,
                            let ops = arguments.first(where: { $0.name?.name == "ops" }),
                            let name = OperatorClasses.name(of: ops.value)
                        else { return nil }
                        return OperatorClasses.providingExtension(name, method: method)
                    }
                }
            }
        )
        return declared + implied.subtracting(names).sorted().map { SQLExtension($0) }
    }

    private static func declaredExtensions(_ context: LoweringContext) -> [SQLExtension] {
        guard let property = context.lookup.schema.datasources.first?.property("extensions") else { return [] }
        return property.value.elements.compactMap { element in
            guard let name = element.constantName else { return nil }
            guard case .function(_, let arguments) = element.kind else { return SQLExtension(name) }
            func argument(_ label: String) -> String? {
                arguments.first(where: { $0.name?.name == label })?.value.stringValue
            }
            // `uuid_ossp(map: "uuid-ossp")`: the database name is the map.
            return SQLExtension(argument("map") ?? name, schema: argument("schema"), version: argument("version"))
        }
    }

    /// PostgreSQL enum types; SQLite has none (enum columns are `TEXT`).
    private static func enums(_ context: LoweringContext) -> [SQLEnum] {
        guard context.dialect == .postgres else { return [] }
        return context.lookup.schema.enums.map { enumeration in
            SQLEnum(
                name: context.enumName(enumeration),
                schema: context.schemaName(enumeration),
                values: enumeration.enumValues.map(context.enumValueName)
            )
        }
    }

    private static func table(for model: Block, _ context: LoweringContext) -> SQLTable {
        let name = context.tableName(model)
        let fields = context.columnFields(of: model)
        let columns = fields.map { field in
            let column = context.columnName(field)
            let (value, isAutoIncrement) = DefaultLowering.lower(field, table: name, column: column, context)
            var type = ColumnTypes.type(of: field, context)
            if isAutoIncrement && context.dialect == .sqlite {
                // SQLite numbers rows only in an `INTEGER PRIMARY KEY` column.
                type = SQLColumnType("INTEGER", family: type.family)
            }
            return SQLColumn(
                name: column,
                type: type,
                // Prisma creates scalar lists as nullable arrays.
                isNullable: field.type.isOptional || field.type.isList,
                default: value,
                isAutoIncrement: isAutoIncrement
            )
        }
        return SQLTable(
            name: name,
            schema: context.schemaName(model),
            columns: columns,
            primaryKey: primaryKey(of: model, table: name, context),
            uniques: IndexLowering.uniques(of: model, columnFields: fields, table: name, context),
            indexes: IndexLowering.indexes(of: model, table: name, context),
            foreignKeys: RelationLowering.foreignKeys(of: model, context)
        )
    }

    /// `@id` or `@@id`, named `{table}_pkey` (or `map:`); SQLite keeps no primary key names.
    private static func primaryKey(of model: Block, table: String, _ context: LoweringContext) -> SQLPrimaryKey? {
        let fields = context.primaryKeyFields(of: model)
        guard !fields.isEmpty else { return nil }
        let attribute =
            model.fields.firstInPlace { $0.has(.id) }?.attribute(.id) ?? model.blockAttribute(.id)
        let name: String? =
            switch context.dialect {
            case .postgres:
                attribute.flatMap(context.constraintName)
                    ?? ConstraintNames.primaryKey(table: table, dialect: context.dialect)
            case .sqlite: nil
            }
        return SQLPrimaryKey(name: name, columns: context.columnNames(fields, in: model))
    }
}
