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
        let compound = model.blockAttributes(.unique).map { attribute in
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
    /// `name:` older schemas used for the database name). `type: Gin` etc. becomes the method.
    static func indexes(of model: Block, table: String, _ context: LoweringContext) -> [SQLIndex] {
        // A partial index (`where:`) is kept by the migration that wrote it: the SQL model has no
        // place for its condition, and introspection reports it as a kept object.
        model.blockAttributes(.index).filter { $0.argument("where") == nil }.map { attribute in
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
            return SQLIndex(
                name: explicit
                    ?? ConstraintNames.index(table: table, columns: columns.map(\.name), dialect: context.dialect),
                columns: columns,
                method: method == "btree" ? nil : method
            )
        }
    }
}
