/// Relations: every relation field needs an opposite field on the other model, several
/// relations between the same models need names, and the side that holds the foreign key
/// (`fields`/`references`) must be the right one for the relation's cardinality.
enum RelationRules {
    /// A relation field with the model it sits on.
    struct RelationField {
        var model: Block
        var field: Field
        var target: Block
        let relationName: String?
        let key: String

        init(model: Block, field: Field, target: Block) {
            self.model = model
            self.field = field
            self.target = target
            relationName = field.attribute(.relation)?.argument("name", position: 0)?.value.stringValue
            key = "\(model.name.name).\(field.name.name)"
        }

        /// Its model, the model it points at, and its relation name: what pairs it with its
        /// opposite field.
        var ends: Ends { Ends(from: model.name.name, to: target.name.name, name: relationName) }

        /// Whether this side carries `fields` or `references` (the foreign key side).
        var definesForeignKey: Bool {
            guard let relation = field.attribute(.relation) else { return false }
            return relation.argument("fields") != nil || relation.argument("references") != nil
        }

        var isSelfRelation: Bool { model.name.name == target.name.name }
    }

    struct Ends: Hashable {
        var from: String
        var to: String
        var name: String?

        var reversed: Ends { Ends(from: to, to: from, name: name) }
    }

    /// Every relation, once `collect` has seen every block.
    static func check(_ relationFields: [RelationField], _ context: inout ValidationContext) {
        let ambiguous =
            context.hasUniqueModelNames && !RelationRuns.mayBeAmbiguous(relationFields)
            ? [] : checkAmbiguity(relationFields, &context)
        let opposites = OppositeFinder(relationFields, hasUniqueModelNames: context.hasUniqueModelNames)
        for relation in relationFields where ambiguous.isEmpty || !ambiguous.contains(relation.key) {
            checkRelationArguments(relation, &context)
            let opposite = opposites.opposite(of: relation)
            guard let opposite else {
                context.error(
                    "Error validating field `\(relation.field.name.name)` in model `\(relation.model.name.name)`: The relation field `\(relation.field.name.name)` on model `\(relation.model.name.name)` is missing an opposite relation field on the model `\(relation.target.name.name)`. Either run `prisma format` or add it manually.",
                    at: relation.field.type.nameRange,
                    hint:
                        "add a field of type \(relation.model.name.name)\(relation.field.type.isList ? "" : "[]") to \(relation.target.name.name)"
                )
                continue
            }
            if !ambiguous.isEmpty, ambiguous.contains(opposite.key) { continue }
            checkCardinality(relation, opposite: opposite, &context)
        }
    }

    /// The relation fields of one block, added to `relationFields` in order.
    static func collect(_ model: Block, into relationFields: inout [RelationField], _ context: ValidationContext) {
        guard model.kind == .model || model.kind == .view else { return }
        for field in model.fields where field.type.scalar == nil {
            guard case .model(let target) = context.resolve(field.type) else { continue }
            relationFields.append(RelationField(model: model, field: field, target: target))
        }
    }

    /// Several unnamed (or same-named) relations from one model to another cannot be paired.
    /// Returns the keys of the fields involved.
    private static func checkAmbiguity(_ fields: [RelationField], _ context: inout ValidationContext) -> Set<String> {
        var ambiguous: Set<String> = []
        func ends(_ field: RelationField) -> Ends {
            Ends(from: field.model.name.name, to: field.target.name.name, name: field.relationName ?? "")
        }
        let groups = Dictionary(grouping: fields, by: ends)
        // In the order the schema declares them, so the diagnostics come out the same every run.
        var seen: Set<Ends> = []
        let ordered = fields.map(ends).filter { seen.insert($0).inserted }
        for group in ordered.compactMap({ groups[$0] }) {
            let first = group[0]
            let limit = first.isSelfRelation ? 2 : 1
            guard group.count > limit else { continue }
            let second = group[limit]
            let pair =
                "The fields `\(group[limit - 1].field.name.name)` and `\(second.field.name.name)` in model `\(first.model.name.name)` both refer to `\(first.target.name.name)`."
            let message =
                first.isSelfRelation
                ? "Ambiguous self relation detected. \(pair) If they are part of the same relation add the same relation name for them with `@relation(<name>)`."
                : "Ambiguous relation detected. \(pair) Please provide different relation names for them by adding `@relation(<name>).`"
            context.error(
                "Error validating model \"\(first.model.name.name)\": \(message)",
                at: second.field.name.range,
                hint:
                    "name each relation on both sides, e.g. `@relation(\"\(first.model.name.name)\(second.field.name.name.capitalizedFirst)\")`"
            )
            ambiguous.formUnion(group.map(\.key))
        }
        return ambiguous
    }

    /// The foreign key belongs on the single side of a 1-n relation, on one side of a 1-1
    /// relation, and on neither side of an implicit m-n relation.
    private static func checkCardinality(
        _ relation: RelationField,
        opposite: RelationField,
        _ context: inout ValidationContext
    ) {
        let field = relation.field
        let model = relation.model.name.name
        switch (field.type.isList, opposite.field.type.isList) {
        case (true, true):
            if relation.definesForeignKey {
                context.error(
                    "Error validating field `\(field.name.name)` in model `\(model)`: Implicit many-to-many relations must not specify `fields` or `references`; Wenwex creates the join table.",
                    at: field.attribute(.relation)?.range ?? field.range,
                    hint: "for a join table with its own columns, declare an explicit model between the two"
                )
            }
            if !hasSingleFieldID(relation.target) {
                context.error(
                    "Error validating field `\(field.name.name)` in model `\(model)`: The relation field `\(field.name.name)` on model `\(model)` references `\(relation.target.name.name)` which does not have an `@id` field. Models without `@id` cannot be part of a many to many relation. Use an explicit intermediate Model to represent this relationship.",
                    at: field.type.nameRange
                )
            }
        case (true, false):
            if relation.definesForeignKey {
                context.error(
                    "Error parsing attribute \"@relation\": The relation field `\(field.name.name)` on Model `\(model)` must not specify the `fields` or `references` argument in the @relation attribute. You must only specify it on the opposite field `\(opposite.field.name.name)` on model `\(opposite.model.name.name)`.",
                    at: field.attribute(.relation)?.range ?? field.range
                )
            }
        case (false, true):
            requireForeignKey(relation, &context)
        case (false, false):
            checkOneToOne(relation, opposite: opposite, &context)
        }
    }

    private static func requireForeignKey(_ relation: RelationField, _ context: inout ValidationContext) {
        let relationAttribute = relation.field.attribute(.relation)
        for argument in ["fields", "references"] where relationAttribute?.argument(argument) == nil {
            context.error(
                "Error parsing attribute \"@relation\": The relation field `\(relation.field.name.name)` on Model `\(relation.model.name.name)` must specify the `\(argument)` argument in the @relation attribute. You can run `prisma format` to fix this automatically.",
                at: relationAttribute?.range ?? relation.field.type.nameRange,
                hint: "for example `@relation(fields: [\(relation.field.name.name)Id], references: [id])`"
            )
        }
    }

    private static func checkOneToOne(
        _ relation: RelationField,
        opposite: RelationField,
        _ context: inout ValidationContext
    ) {
        let field = relation.field
        let model = relation.model.name.name
        let reportsPair = relation.key < opposite.key
        switch (relation.definesForeignKey, opposite.definesForeignKey) {
        case (false, false) where reportsPair:
            context.error(
                "Error parsing attribute \"@relation\": The relation fields `\(field.name.name)` on Model `\(model)` and `\(opposite.field.name.name)` on Model `\(opposite.model.name.name)` do not provide the `fields` argument in the @relation attribute. You have to provide it on one of the two fields.",
                at: field.type.nameRange
            )
        case (true, true) where reportsPair:
            context.error(
                "Error parsing attribute \"@relation\": The relation fields `\(field.name.name)` on Model `\(model)` and `\(opposite.field.name.name)` on Model `\(opposite.model.name.name)` both provide the `references` argument in the @relation attribute. You have to provide it only on one of the two fields.",
                at: field.attribute(.relation)?.range ?? field.range
            )
        case (false, true) where field.type.arity == .required:
            context.error(
                "Error validating field `\(field.name.name)` in model `\(model)`: The relation field `\(field.name.name)` on Model `\(model)` is required. This is not valid because it's not possible to enforce this constraint on the database level. Please change the field type from `\(field.type.name)` to `\(field.type.name)?` to fix this.",
                at: field.type.range
            )
        case (true, false):
            checkOneToOneUniqueness(relation, &context)
        default:
            break
        }
    }

    /// The foreign key of a 1-1 relation must be unique, or the "one" would allow many.
    private static func checkOneToOneUniqueness(_ relation: RelationField, _ context: inout ValidationContext) {
        guard let attribute = relation.field.attribute(.relation),
            let fields = attribute.argument("fields")?.value.elements.compactMap(\.constantName), !fields.isEmpty,
            fields.allSatisfy({ relation.model.field($0) != nil })
        else { return }
        guard !UniqueCriteria.contains(relation.model, Set(fields)) else { return }
        let fix =
            fields.count == 1
            ? "Either add an `@unique` attribute to the field `\(fields[0])`, or add an `@@unique` attribute to the model `\(relation.model.name.name)`."
            : "Add an `@@unique([\(fields.joined(separator: ", "))])` attribute to the model `\(relation.model.name.name)`."
        context.attributeError(attribute, "A one-to-one relation must use unique fields on the defining side. \(fix)")
    }

    private static func hasSingleFieldID(_ model: Block) -> Bool {
        model.fields.contains { $0.has(.id) }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
