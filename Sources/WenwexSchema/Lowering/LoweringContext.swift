import WenwexSQL

/// What lowering needs to know about the whole schema: lookups by name, the datasource's
/// settings, and the database names (`@map`/`@@map`/`@@schema`) of everything.
struct LoweringContext {
    let lookup: ValidationContext
    let dialect: SQLDialect
    /// `relationMode = "prisma"`: relations are enforced by the client, the database gets no
    /// foreign keys.
    let emulatesRelations: Bool
    /// The datasource lists `schemas`, so `@@schema` places tables and enums.
    let isMultiSchema: Bool

    init(schema: PrismaSchema, dialect: SQLDialect) {
        lookup = ValidationContext(schema: schema)
        self.dialect = dialect
        let datasource = lookup.datasource
        // `referentialIntegrity` is the deprecated name of `relationMode`.
        emulatesRelations =
            (datasource?.property("relationMode") ?? datasource?.property("referentialIntegrity"))?.value.stringValue
            == "prisma"
        isMultiSchema = datasource?.property("schemas") != nil
    }

    /// The models that become tables: every model, `@@ignore`d ones too (not views or composite
    /// types). `@@ignore` hides a model from the client, not from the database: Prisma's schema
    /// engine creates its table (`sql_schema_calculator.rs` walks every model), and a table
    /// `db pull` marked `@@ignore` must not be planned as a drop.
    var models: [Block] {
        lookup.schema.models
    }

    /// The model named `name` when it becomes a table.
    func model(_ name: String) -> Block? {
        guard let model = lookup.models[name], model.kind == .model else { return nil }
        return model
    }

    func tableName(_ model: Block) -> String {
        Self.mapped(model.blockAttribute(.map)) ?? model.name.name
    }

    func columnName(_ field: Field) -> String {
        Self.mapped(field.attribute(.map)) ?? field.name.name
    }

    func enumName(_ enumeration: Block) -> String {
        Self.mapped(enumeration.blockAttribute(.map)) ?? enumeration.name.name
    }

    func enumValueName(_ value: EnumValue) -> String {
        Self.mapped(value.attributes.firstInPlace { $0.is(.map) }) ?? value.name.name
    }

    /// The `@@schema` of a model or enum when the datasource uses several schemas.
    func schemaName(_ block: Block) -> String? {
        guard isMultiSchema else { return nil }
        return Self.mapped(block.blockAttribute(.schema))
    }

    /// The column names of the fields `names` of `model`.
    func columnNames(_ names: [String], in model: Block) -> [String] {
        names.map { name in model.field(name).map(columnName) ?? name }
    }

    /// The fields that become columns: scalars, enums and `Unsupported`, `@ignore`d ones too
    /// (Prisma creates their columns; `@ignore` only hides them from the client).
    func columnFields(of model: Block) -> [Field] {
        model.fields.filter { field in
            guard let resolved = lookup.resolve(field.type) else { return false }
            switch resolved {
            case .scalar, .enum, .unsupported: return true
            case .model, .composite: return false
            }
        }
    }

    /// The model's primary key fields: `@id` or `@@id([…])`.
    func primaryKeyFields(of model: Block) -> [String] {
        if let field = model.fields.firstInPlace(where: { $0.has(.id) }) { return [field.name.name] }
        guard let id = model.blockAttribute(.id) else { return [] }
        return IndexRules.fieldNames(of: id).map(\.name)
    }

    /// The string argument of `@map("…")`, `@@map("…")`, `@@schema("…")`, `map: "…"`.
    static func mapped(_ attribute: Attribute?) -> String? {
        attribute?.argument("name", position: 0)?.value.stringValue
    }

    /// The `map: "…"` argument of an attribute.
    static func mapArgument(_ attribute: Attribute) -> String? {
        attribute.argument("map")?.value.stringValue
    }

    /// A constraint or index name given with `map: "…"`, as the database keeps it: PostgreSQL
    /// cuts names to 63 bytes, so a longer `map:` (often copied from a hand-written migration)
    /// names what the server actually has, and no rename or rebuild is planned for it.
    func constraintName(_ attribute: Attribute) -> String? {
        Self.mapArgument(attribute).map { ConstraintNames.databaseName($0, dialect: dialect) }
    }
}
