import WenwexSQL

/// `@unique`, `@@unique` and `@@index` as unique and plain indexes with Prisma's names.
enum IndexLowering {
    /// `@unique` fields and `@@unique` lists: `{table}_{columns}_key`, or `map:`. `columnFields`
    /// are the model's `LoweringContext.columnFields`, which the caller has already worked out.
    static func uniques(
        of model: Block,
        columnFields: [Field],
        table: String,
        _ context: LoweringContext
    ) -> [SQLUnique] {
        let single = columnFields.compactMap { field -> SQLUnique? in
            guard let attribute = field.attribute(.unique) else { return nil }
            let columns = [context.columnName(field)]
            return SQLUnique(
                name: context.constraintName(attribute)
                    ?? ConstraintNames.unique(table: table, columns: columns, dialect: context.dialect),
                columns: columns
            )
        }
        // A partial unique (`where:`) is a unique index, made by `indexes(of:)`.
        let compound = model.blockAttributes(.unique).filter { $0.argument("where") == nil }.map { attribute in
            let columns = context.columnNames(IndexRules.fieldNames(of: attribute).map(\.name), in: model)
            return SQLUnique(
                name: context.constraintName(attribute)
                    ?? ConstraintNames.unique(table: table, columns: columns, dialect: context.dialect),
                columns: columns
            )
        }
        return single + compound
    }

    /// `@@index` lists with their sort orders: `{table}_{columns}_idx`, or `map:` (or the
    /// `name:` older schemas used for the database name). `type: Gin` etc. becomes the method,
    /// `where:` the condition of a partial index; a partial `@@unique` is a unique index here.
    static func indexes(of model: Block, table: String, _ context: LoweringContext) -> [SQLIndex] {
        let partialUniques = model.blockAttributes(.unique).filter { $0.argument("where") != nil }
        return model.blockAttributes(.index).map { index($0, isUnique: false, of: model, table: table, context) }
            + partialUniques.map { index($0, isUnique: true, of: model, table: table, context) }
    }

    private static func index(
        _ attribute: Attribute,
        isUnique: Bool,
        of model: Block,
        table: String,
        _ context: LoweringContext
    ) -> SQLIndex {
        let method = attribute.argument("type")?.value.constantName.map { $0.lowercased() }
        let elements = attribute.argument("fields", position: 0)?.value.elements ?? []
        let columns = elements.compactMap { element -> SQLIndex.Column? in
            guard let field = element.constantName else { return nil }
            var sort = SQLIndex.SortOrder.ascending
            var operatorClass: String?
            if case .function(_, let arguments) = element.kind {
                if arguments.first(where: { $0.name?.name == "sort" })?.value.constantName == "Desc" {
                    sort = .descending
                }
                if context.dialect == .postgres, let ops = arguments.first(where: { $0.name?.name == "ops" }) {
                    operatorClass = OperatorClasses.databaseName(of: ops.value, method: method)
                }
            }
            return SQLIndex.Column(
                context.columnNames([field], in: model)[0],
                sort: sort,
                operatorClass: operatorClass
            )
        }
        let explicit =
            context.constraintName(attribute)
            ?? attribute.argument("name")?.value.stringValue.map {
                ConstraintNames.databaseName($0, dialect: context.dialect)
            }
        let columnNames = columns.map(\.name)
        let name =
            isUnique
            ? ConstraintNames.unique(table: table, columns: columnNames, dialect: context.dialect)
            : ConstraintNames.index(table: table, columns: columnNames, dialect: context.dialect)
        return SQLIndex(
            name: explicit ?? name,
            columns: columns,
            isUnique: isUnique,
            method: method == "btree" ? nil : method,
            predicate: attribute.argument("where")?.value.stringValue.map(SQLIndexPredicate.init)
        )
    }
}
