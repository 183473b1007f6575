import WenwexSQL

extension PullHints {
    /// What `existing` says about its tables, read through the lowering's view of it (so
    /// `@map`, `@@map` and `@@schema` lead to the same database names introspection finds).
    init(existing: PrismaSchema, dialect: SQLDialect) {
        self.init()
        let context = LoweringContext(schema: existing, dialect: dialect)
        for (position, model) in existing.models.enumerated() {
            let key = TableKey(schema: context.schemaName(model), name: context.tableName(model))
            modelNames[key] = model.name.name
            modelOrder[key] = position
            if !model.documentation.isEmpty { modelDocumentation[key] = model.documentation }
            for field in model.fields {
                switch context.lookup.resolve(field.type) {
                case .scalar, .enum, .unsupported:
                    addColumn(field, table: key, context)
                case .model(let target):
                    addRelation(field, of: model, table: key, target: target, context)
                case .composite, nil:
                    break
                }
            }
        }
        for (position, enumeration) in existing.enums.enumerated() {
            let key = TableKey(schema: context.schemaName(enumeration), name: context.enumName(enumeration))
            enumNames[key] = enumeration.name.name
            enumOrder[key] = position
            for value in enumeration.enumValues {
                enumValueNames[key, default: [:]][context.enumValueName(value)] = value.name.name
            }
        }
    }

    private mutating func addColumn(_ field: Field, table: TableKey, _ context: LoweringContext) {
        let column = context.columnName(field)
        fieldNames[table, default: [:]][column] = field.name.name
        if !field.documentation.isEmpty { fieldDocumentation[table, default: [:]][column] = field.documentation }
        if field.attribute("updatedAt") != nil {
            applicationDefaults[table, default: [:]][column] = "@updatedAt"
        } else if let value = field.attribute("default")?.argument("value", position: 0)?.value,
            case .function(let name, _) = value.kind, Self.clientFunctions.contains(name)
        {
            applicationDefaults[table, default: [:]][column] = "@default(\(value))"
        }
    }

    /// The functions Prisma Client evaluates itself: the database never sees them.
    static let clientFunctions: Set<String> = ["uuid", "cuid", "nanoid", "ulid"]

    private mutating func addRelation(
        _ field: Field,
        of model: Block,
        table: TableKey,
        target: Block,
        _ context: LoweringContext
    ) {
        let relation = field.attribute("relation")
        let name = relation?.argument("name", position: 0)?.value.stringValue
        let opposite = target.fields.first { candidate in
            candidate.type.name == model.name.name
                && candidate.attribute("relation")?.argument("name", position: 0)?.value.stringValue == name
                && !(target.name.name == model.name.name && candidate.name.name == field.name.name)
        }
        if let fields = relation?.argument("fields") {
            let columns = context.columnNames(fields.value.elements.compactMap(\.constantName), in: model)
            relations[RelationKey(table: table, columns: columns)] = Relation(
                field: field.name.name,
                backField: opposite?.name.name,
                name: name
            )
            return
        }
        guard field.type.isList, let opposite, opposite.type.isList else { return }
        // An implicit many-to-many relation: record it once, from the model behind column A.
        let isSelf = target.name.name == model.name.name
        guard model.name.name < target.name.name || (isSelf && isFirst(field, before: opposite, in: model)) else {
            return
        }
        let joinTable = "_" + (name ?? [model.name.name, target.name.name].sorted().joined(separator: "To"))
        manyToMany[TableKey(schema: context.schemaName(model), name: joinTable)] = ManyToMany(
            fieldOnA: field.name.name,
            fieldOnB: opposite.name.name
        )
    }

    private func isFirst(_ field: Field, before other: Field, in model: Block) -> Bool {
        let names = model.fields.map(\.name.name)
        return (names.firstIndex(of: field.name.name) ?? 0) < (names.firstIndex(of: other.name.name) ?? 0)
    }
}
