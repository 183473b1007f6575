import WenwexSQL

/// Relations as the database sees them: foreign keys on the side that lists `fields:`, and a
/// join table for every implicit many-to-many relation.
enum RelationLowering {
    /// The foreign keys of `model`'s table; none with `relationMode = "prisma"`.
    ///
    /// Without explicit actions Prisma uses `ON DELETE RESTRICT` for a required relation,
    /// `ON DELETE SET NULL` for an optional one, and `ON UPDATE CASCADE`.
    static func foreignKeys(of model: Block, _ context: LoweringContext) -> [SQLForeignKey] {
        guard !context.emulatesRelations else { return [] }
        let table = context.tableName(model)
        return model.fields.compactMap { field -> SQLForeignKey? in
            guard !field.has(.ignore),
                let relation = field.attribute(.relation),
                let target = context.model(field.type.name),
                let fields = relation.argument("fields"),
                let references = relation.argument("references")
            else { return nil }
            let columns = context.columnNames(fields.value.elements.compactMap(\.constantName), in: model)
            let defaultOnDelete: SQLReferentialAction = field.type.isOptional ? .setNull : .restrict
            return SQLForeignKey(
                name: context.constraintName(relation)
                    ?? ConstraintNames.foreignKey(table: table, columns: columns, dialect: context.dialect),
                columns: columns,
                referencedTable: context.tableName(target),
                referencedSchema: context.schemaName(target),
                referencedColumns: context.columnNames(
                    references.value.elements.compactMap(\.constantName),
                    in: target
                ),
                onDelete: action(relation.argument("onDelete")) ?? defaultOnDelete,
                onUpdate: action(relation.argument("onUpdate")) ?? .cascade
            )
        }
    }

    /// The join tables of implicit many-to-many relations (list fields on both sides).
    ///
    /// Prisma names the table `_` + the relation name, which defaults to the two model names
    /// sorted and joined by `To` (`_CategoryToProduct`). Column `A` references the model whose
    /// name sorts first, `B` the other; a unique index on (A, B), an index on B, and foreign
    /// keys that cascade both ways.
    ///
    /// Adds the join tables of `model`'s implicit many-to-many relations to `tables` (by name),
    /// unless the opposite model added them first. `SchemaLowering` calls it right after
    /// lowering the model's own table, while the model's fields are still in the cache.
    static func addJoinTables(of model: Block, to tables: inout [String: SQLTable], _ context: LoweringContext) {
        for field in model.fields where field.type.isList && !field.has(.ignore) {
            guard let target = context.model(field.type.name) else { continue }
            let name = relationName(field)
            let opposite = target.fields.firstInPlace { candidate in
                candidate.type.name == model.name.name && relationName(candidate) == name
                    && !(target.name.name == model.name.name && candidate.name.name == field.name.name)
            }
            guard let opposite, opposite.type.isList, !opposite.has(.ignore) else { continue }
            let relation = name ?? [model.name.name, target.name.name].sorted().joined(separator: "To")
            guard tables["_" + relation] == nil else { continue }
            let (a, b) = model.name.name <= target.name.name ? (model, target) : (target, model)
            if let table = joinTable(relation, a: a, b: b, context) { tables[table.name] = table }
        }
    }

    private static func joinTable(_ relation: String, a: Block, b: Block, _ context: LoweringContext) -> SQLTable? {
        let name = "_" + relation
        guard let aKey = idColumn(of: a, context), let bKey = idColumn(of: b, context) else { return nil }
        var foreignKeys: [SQLForeignKey] = []
        if !context.emulatesRelations {
            for (column, model, key) in [("A", a, aKey), ("B", b, bKey)] {
                foreignKeys.append(
                    SQLForeignKey(
                        name: "\(name)_\(column)_fkey",
                        columns: [column],
                        referencedTable: context.tableName(model),
                        referencedSchema: context.schemaName(model),
                        referencedColumns: [key.name],
                        onDelete: .cascade,
                        onUpdate: .cascade
                    )
                )
            }
        }
        return SQLTable(
            name: name,
            schema: context.schemaName(a),
            columns: [
                SQLColumn(name: "A", type: aKey.type),
                SQLColumn(name: "B", type: bKey.type),
            ],
            // Prisma 6 gives PostgreSQL join tables a primary key; SQLite keeps Prisma 5's unique
            // index (Prisma did not change it there).
            primaryKey: context.dialect == .postgres
                ? SQLPrimaryKey(name: "\(name)_AB_pkey", columns: ["A", "B"]) : nil,
            uniques: context.dialect == .postgres ? [] : [SQLUnique(name: "\(name)_AB_unique", columns: ["A", "B"])],
            indexes: [SQLIndex(name: "\(name)_B_index", columns: [SQLIndex.Column("B")])],
            foreignKeys: foreignKeys
        )
    }

    /// The single-field id a join table column references: its column name and type.
    private static func idColumn(of model: Block, _ context: LoweringContext) -> (name: String, type: SQLColumnType)? {
        let ids = context.primaryKeyFields(of: model)
        guard ids.count == 1, let field = model.field(ids[0]) else { return nil }
        return (context.columnName(field), ColumnTypes.type(of: field, context))
    }

    private static func relationName(_ field: borrowing Field) -> String? {
        field.attribute(.relation)?.argument("name", position: 0)?.value.stringValue
    }

    private static func action(_ argument: Argument?) -> SQLReferentialAction? {
        argument?.value.constantName.flatMap(SQLReferentialAction.init(rawValue:))
    }
}
