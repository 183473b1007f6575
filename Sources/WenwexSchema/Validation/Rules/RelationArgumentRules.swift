/// The arguments of `@relation(name, fields, references, onDelete, onUpdate, map)`: known
/// names, existing fields on both sides, matching lengths and types, a unique criterion as the
/// target, and referential actions the relation mode allows.
extension RelationRules {
    static let knownArguments: Set<String> = ["name", "fields", "references", "onDelete", "onUpdate", "map"]
    static let referentialActions = ["Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"]

    static func checkRelationArguments(_ relation: RelationField, _ context: inout ValidationContext) {
        guard let attribute = relation.field.attribute(.relation) else { return }
        for (position, argument) in (attribute.arguments ?? []).enumerated() {
            if let name = argument.name, !knownArguments.contains(name.name) {
                context.attributeError(attribute, "The argument `\(name.name)` is not known.", at: name.range)
            } else if argument.name == nil, position > 0 || argument.value.stringValue == nil {
                context.attributeError(
                    attribute,
                    "Only the relation name may be given without a name, as the first argument: `@relation(\"Name\", …)`.",
                    at: argument.range
                )
            }
        }
        checkReferentialActions(attribute, &context)
        checkSetNull(relation, attribute, &context)
        checkSelfRelationCycle(relation, attribute, &context)
        checkForeignKey(relation, attribute, &context)
    }

    /// `SetNull` cannot null a required column. PostgreSQL with foreign keys only warns (the
    /// database rejects the update when it happens, as Prisma says); everywhere else it is an
    /// error.
    private static func checkSetNull(
        _ relation: RelationField,
        _ attribute: Attribute,
        _ context: inout ValidationContext
    ) {
        let fields = attribute.argument("fields")?.value.elements.compactMap(\.constantName) ?? []
        guard fields.contains(where: { relation.model.field($0)?.type.arity == .required }) else { return }
        for name in ["onDelete", "onUpdate"] where attribute.argument(name)?.value.constantName == "SetNull" {
            let message =
                "The `\(name)` referential action of a relation must not be set to `SetNull` when a referenced field is required.\nEither choose another referential action, or make the referenced fields optional."
            if context.provider == .postgresql, !context.emulatesRelations {
                context.warning(message, at: attribute.range)
            } else {
                context.attributeError(
                    attribute,
                    message,
                    hint: "make \(fields.joined(separator: ", ")) optional, or use another action"
                )
            }
        }
    }

    /// With `relationMode = "prisma"`, a self relation whose actions cascade would loop in the
    /// client: one side must say `onDelete: NoAction, onUpdate: NoAction`.
    private static func checkSelfRelationCycle(
        _ relation: RelationField,
        _ attribute: Attribute,
        _ context: inout ValidationContext
    ) {
        guard context.emulatesRelations, relation.model.name.name == relation.target.name.name,
            attribute.argument("fields") != nil
        else { return }
        let name = attribute.argument("name", position: 0)?.value.stringValue
        let attributes = relation.model.fields.compactMap { field -> Attribute? in
            guard field.type.name == relation.model.name.name, let other = field.attribute(.relation) else {
                return nil
            }
            return other.argument("name", position: 0)?.value.stringValue == name ? other : nil
        }
        let safe = attributes.contains { other in
            other.argument("onDelete")?.value.constantName == "NoAction"
                && other.argument("onUpdate")?.value.constantName == "NoAction"
        }
        guard !safe else { return }
        context.error(
            "Error validating: A self-relation must have `onDelete` and `onUpdate` referential actions set to `NoAction` in one of the @relation attributes. (Implicit default `onUpdate`: `Cascade`) Read more at https://pris.ly/d/cyclic-referential-actions",
            at: attribute.range,
            hint: "add `onDelete: NoAction, onUpdate: NoAction` to the @relation"
        )
    }

    private static func checkReferentialActions(_ attribute: Attribute, _ context: inout ValidationContext) {
        let emulated = context.emulatesRelations
        let allowed = emulated ? referentialActions.filter { $0 != "SetDefault" } : referentialActions
        for name in ["onDelete", "onUpdate"] {
            guard let argument = attribute.argument(name) else { continue }
            let action = argument.value.constantName ?? argument.value.description
            if !allowed.contains(action) {
                context.attributeError(
                    attribute,
                    "Invalid referential action: `\(action)`. Allowed values: (\(allowed.map { "`\($0)`" }.joined(separator: ", ")))",
                    at: argument.value.range
                )
            }
        }
    }

    private static func checkForeignKey(
        _ relation: RelationField,
        _ attribute: Attribute,
        _ context: inout ValidationContext
    ) {
        guard let fieldsArgument = attribute.argument("fields"),
            let referencesArgument = attribute.argument("references")
        else { return }
        let fields = fieldsArgument.value.elements
        let references = referencesArgument.value.elements
        let unknownFields = fields.compactMap(\.constantName).filter { relation.model.field($0) == nil }
        if !unknownFields.isEmpty {
            context.attributeError(
                attribute,
                "The argument fields must refer only to existing fields. The following fields do not exist in this model: \(unknownFields.joined(separator: ", "))",
                at: fieldsArgument.value.range
            )
        }
        let unknownReferences = references.compactMap(\.constantName).filter { relation.target.field($0) == nil }
        if !unknownReferences.isEmpty {
            context.attributeError(
                attribute,
                "The argument `references` must refer only to existing fields in the related model `\(relation.target.name.name)`. The following fields do not exist in the related model: \(unknownReferences.joined(separator: ", "))",
                at: referencesArgument.value.range
            )
        }
        guard unknownFields.isEmpty, unknownReferences.isEmpty else { return }
        guard fields.count == references.count else {
            context.attributeError(
                attribute,
                "You must specify the same number of fields in `fields` and `references`."
            )
            return
        }
        checkTypes(relation, fields: fields, references: references, attribute, &context)
        checkReferencedCriterion(relation, references: references.compactMap(\.constantName), attribute, &context)
        checkOptionality(relation, fields: fields.compactMap(\.constantName), attribute, &context)
        checkIndexForEmulatedRelations(relation, fields: fields.compactMap(\.constantName), attribute, &context)
    }

    private static func checkTypes(
        _ relation: RelationField,
        fields: [Expression],
        references: [Expression],
        _ attribute: Attribute,
        _ context: inout ValidationContext
    ) {
        for (field, reference) in zip(fields, references) {
            guard let name = field.constantName, let referenceName = reference.constantName,
                let local = relation.model.field(name), let remote = relation.target.field(referenceName)
            else { continue }
            if local.type.name != remote.type.name {
                context.attributeError(
                    attribute,
                    "The type of the field `\(name)` in the model `\(relation.model.name.name)` is not matching the type of the referenced field `\(referenceName)` in model `\(relation.target.name.name)`.",
                    at: field.range,
                    hint:
                        "`\(name)` is \(local.type.name), `\(relation.target.name.name).\(referenceName)` is \(remote.type.name)"
                )
            }
        }
    }

    private static func checkReferencedCriterion(
        _ relation: RelationField,
        references: [String],
        _ attribute: Attribute,
        _ context: inout ValidationContext
    ) {
        guard !references.isEmpty, !UniqueCriteria.contains(relation.target, Set(references)) else { return }
        let fix =
            references.count == 1
            ? "Consider adding an `@unique` attribute to the field `\(references[0])` in the model `\(relation.target.name.name)`."
            : "Consider adding an `@@unique([\(references.joined(separator: ", "))])` attribute to the model `\(relation.target.name.name)`."
        context.attributeError(
            attribute,
            "The argument `references` must refer to a unique criterion in the related model. \(fix)",
            at: attribute.argument("references")?.value.range
        )
    }

    private static func checkOptionality(
        _ relation: RelationField,
        fields: [String],
        _ attribute: Attribute,
        _ context: inout ValidationContext
    ) {
        guard relation.field.type.arity == .required else { return }
        let optional = fields.filter { relation.model.field($0)?.type.isOptional == true }
        guard !optional.isEmpty else { return }
        context.attributeError(
            attribute,
            "The relation field `\(relation.field.name.name)` uses the scalar fields \(fields.joined(separator: ", ")). At least one of those fields is optional. Hence the relation field must be optional as well.",
            at: relation.field.type.range,
            hint: "make it `\(relation.field.type.name)?`, or make \(optional.joined(separator: ", ")) required"
        )
    }

    /// Without foreign keys (`relationMode = "prisma"`) the database creates no index for the
    /// relation, so Prisma warns when none is declared.
    private static func checkIndexForEmulatedRelations(
        _ relation: RelationField,
        fields: [String],
        _ attribute: Attribute,
        _ context: inout ValidationContext
    ) {
        guard context.emulatesRelations, !fields.isEmpty else {
            return
        }
        var prefixes: [[String]] = relation.model.fields.filter {
            $0.has(.id) || $0.has(.unique)
        }
        .map { [$0.name.name] }
        for index in relation.model.blockAttributes where ["id", "unique", "index"].contains(index.name) {
            prefixes.append(IndexRules.fieldNames(of: index).map(\.name))
        }
        guard !prefixes.contains(where: { $0.starts(with: fields) }) else { return }
        context.warning(
            "With `relationMode = \"prisma\"`, no foreign keys are used, so relation fields will not benefit from the index usually created by the relational database under the hood. This can lead to poor performance when querying these fields. We recommend adding an index manually. Learn more at https://pris.ly/d/relation-mode-prisma-indexes",
            at: attribute.range,
            hint: "add `@@index([\(fields.joined(separator: ", "))])` to the model `\(relation.model.name.name)`"
        )
    }
}
