import WenwexSQL

/// Relations from foreign keys and join tables: the inverse of `RelationLowering`.
///
/// A foreign key becomes a field on the referencing model that names it
/// (`author User @relation(fields: [authorId], references: [id])`, named after the column when
/// it ends in an id, else after the model it points at) and the other side on the referenced
/// model: a list, or an optional single field when the foreign key columns are unique (a
/// one-to-one relation). Several relations between the same two models, and every relation of
/// a model with itself, are told apart by relation names. `onDelete`/`onUpdate` and `map:` are
/// written only when they differ from what Prisma would choose.
extension PullBuilder {
    /// A foreign key that can be written as a relation.
    struct ForeignKeyRelation {
        var source: Int
        var target: Int
        var key: SQLForeignKey
        /// Field names on the source and target models.
        var fields: [String]
        var references: [String]
        var isOptional: Bool
        var isOneToOne: Bool
    }

    /// Two models, in either order.
    struct ModelPair: Hashable {
        var low: Int
        var high: Int

        init(_ one: Int, _ other: Int) {
            low = min(one, other)
            high = max(one, other)
        }
    }

    mutating func addRelations() {
        var relations: [ForeignKeyRelation] = []
        for index in models.indices where !models[index].isIgnored {
            for key in models[index].table.foreignKeys {
                if let relation = foreignKeyRelation(key, from: index) { relations.append(relation) }
            }
        }
        let manyToMany = joinTables.compactMap { join -> (a: Int, b: Int, join: JoinTable)? in
            guard let a = modelIndex[join.a], let b = modelIndex[join.b] else { return nil }
            return (a, b, join)
        }
        var counts: [ModelPair: Int] = [:]
        var relationNames: [ModelPair: NameScope] = [:]
        for relation in relations { counts[ModelPair(relation.source, relation.target), default: 0] += 1 }
        for (a, b, join) in manyToMany {
            counts[ModelPair(a, b), default: 0] += 1
            _ = relationNames[ModelPair(a, b), default: NameScope()].claim(join.relationName)
        }
        for relation in relations {
            let pair = ModelPair(relation.source, relation.target)
            addForeignKeyRelation(
                relation,
                ambiguous: counts[pair, default: 0] > 1,
                names: &relationNames[pair, default: NameScope()]
            )
        }
        for (a, b, join) in manyToMany {
            addManyToMany(join, a: a, b: b, ambiguous: counts[ModelPair(a, b), default: 0] > 1)
        }
    }

    // MARK: - Foreign keys

    /// The relation for `key`, or `nil` with a warning when the schema language cannot express it.
    private mutating func foreignKeyRelation(_ key: SQLForeignKey, from index: Int) -> ForeignKeyRelation? {
        let source = models[index]
        let table = source.table.name
        let targetKey = TableKey(schema: key.referencedSchema ?? source.table.schema, name: key.referencedTable)
        guard let target = modelIndex[targetKey] else {
            warnings.append(
                "The foreign key \(key.name) on \(table) references \(key.referencedTable), which is not part of the pulled schema; no relation was written for it."
            )
            return nil
        }
        guard !models[target].isIgnored else {
            warnings.append(
                "The foreign key \(key.name) on \(table) references \(key.referencedTable), whose model is ignored; no relation was written for it."
            )
            return nil
        }
        let fields = key.columns.compactMap { source.field(forColumn: $0) }
        let references = key.referencedColumns.compactMap { models[target].field(forColumn: $0) }
        let matching =
            !fields.isEmpty && fields.count == key.columns.count && references.count == fields.count
            && zip(fields, references).allSatisfy { field, reference in
                field.baseType == reference.baseType && !field.isUnsupported && !reference.isUnsupported
                    && !field.type.hasSuffix("[]") && !reference.type.hasSuffix("[]")
            }
        guard matching else {
            warnings.append(
                "The foreign key \(key.name) on \(table) joins columns of different types (or of types Prisma does not know); no relation was written for it."
            )
            return nil
        }
        let referenced = Set(key.referencedColumns)
        guard uniqueCriteria(of: models[target].table).contains(where: { Set($0) == referenced }) else {
            warnings.append(
                "The foreign key \(key.name) on \(table) references columns of \(key.referencedTable) that are not unique; no relation was written for it."
            )
            return nil
        }
        let columns = Set(key.columns)
        return ForeignKeyRelation(
            source: index,
            target: target,
            key: key,
            fields: fields.map(\.name),
            references: references.map(\.name),
            isOptional: fields.contains(where: \.isOptional),
            isOneToOne: uniqueCriteria(of: source.table).contains { Set($0) == columns }
        )
    }

    private mutating func addForeignKeyRelation(
        _ relation: ForeignKeyRelation,
        ambiguous: Bool,
        names: inout NameScope
    ) {
        let source = models[relation.source]
        let target = models[relation.target]
        let hint = hints.relations[PullHints.RelationKey(table: source.key, columns: relation.key.columns)]
        let isSelf = relation.source == relation.target

        var forwardCandidates = hint.map { [$0.field] } ?? []
        if relation.fields.count == 1, let derived = PullNames.relationName(fromColumn: relation.fields[0]) {
            forwardCandidates.append(derived)
        }
        forwardCandidates.append(target.name)
        let forward = withModel(relation.source) { $0.scope.claim(forwardCandidates) }

        var relationName: String?
        if let named = hint?.name, !names.contains(named) {
            relationName = names.claim(named)
        } else if ambiguous || isSelf {
            relationName = names.claim("\(source.name)_\(forward)")
        }

        let key = relation.key
        var arguments = relationName.map { [PullText.quoted($0)] } ?? []
        arguments.append("fields: \(PullText.list(relation.fields))")
        arguments.append("references: \(PullText.list(relation.references))")
        let defaultOnDelete: SQLReferentialAction = relation.isOptional ? .setNull : .restrict
        if key.onDelete != defaultOnDelete { arguments.append("onDelete: \(key.onDelete.rawValue)") }
        if key.onUpdate != .cascade { arguments.append("onUpdate: \(key.onUpdate.rawValue)") }
        let conventional = ConstraintNames.foreignKey(table: source.table.name, columns: key.columns, dialect: dialect)
        if key.name != conventional { arguments.append("map: \(PullText.quoted(key.name))") }
        withModel(relation.source) { model in
            model.fields.append(
                PulledField(
                    name: forward,
                    type: target.name + (relation.isOptional ? "?" : ""),
                    attributes: [PullText.call("@relation", arguments)]
                )
            )
        }

        let backDefault = ambiguous || isSelf ? "\(source.name)_\(forward)" : source.name
        let backCandidates = (hint?.backField.map { [$0] } ?? []) + [backDefault]
        withModel(relation.target) { model in
            let name = model.scope.claim(backCandidates)
            model.fields.append(
                PulledField(
                    name: name,
                    type: source.name + (relation.isOneToOne ? "?" : "[]"),
                    attributes: relationName.map { ["@relation(\(PullText.quoted($0)))"] } ?? [],
                    isBackRelation: true
                )
            )
        }
    }

    // MARK: - Implicit many-to-many

    /// A list field on each model; the relation is named when lowering could not guess the
    /// join table's name from the two model names, or to tell it apart from other relations.
    private mutating func addManyToMany(_ join: JoinTable, a: Int, b: Int, ambiguous: Bool) {
        let modelA = models[a]
        let modelB = models[b]
        let isSelf = a == b
        let guessed = [modelA.name, modelB.name].sorted().joined(separator: "To")
        let needsName = ambiguous || isSelf || join.relationName != guessed
        let attributes = needsName ? ["@relation(\(PullText.quoted(join.relationName)))"] : []
        let suffix = PullNames.sanitize(join.relationName, as: .field)
        let hint = hints.manyToMany[TableKey(join.table)]

        // A model related to itself holds both ends: `Person_A`/`Person_B`, or `friends_A`/
        // `friends_B` when it has several such relations.
        let selfPrefix = ambiguous ? suffix : modelA.name
        let onA = isSelf ? "\(selfPrefix)_A" : ambiguous ? "\(modelB.name)_\(suffix)" : modelB.name
        withModel(a) { model in
            let name = model.scope.claim((hint.map { [$0.fieldOnA] } ?? []) + [onA])
            model.fields.append(
                PulledField(name: name, type: modelB.name + "[]", attributes: attributes, isBackRelation: true)
            )
        }
        let onB = isSelf ? "\(selfPrefix)_B" : ambiguous ? "\(modelA.name)_\(suffix)" : modelA.name
        withModel(b) { model in
            let name = model.scope.claim((hint.map { [$0.fieldOnB] } ?? []) + [onB])
            model.fields.append(
                PulledField(name: name, type: modelA.name + "[]", attributes: attributes, isBackRelation: true)
            )
        }
    }
}
