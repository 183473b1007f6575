/// Attributes must be known where they are written, appear once, and fit their field:
/// `@updatedAt` only on DateTime, `@id` only on required fields, `@map`/`@@map` with a name.
enum AttributeRules {
    /// The attributes allowed in one place: their names for "did you mean" hints, their kinds
    /// for the check itself (a bit test per attribute instead of hashing its name).
    struct Known {
        let names: Set<String>
        let kinds: AttributeKinds

        init(_ kinds: AttributeKind...) {
            names = Set(kinds.map(\.name))
            self.kinds = AttributeKinds(rawValue: kinds.reduce(0) { $0 | $1.bit.rawValue })
        }

        func contains(_ attribute: Attribute) -> Bool { kinds.rawValue & attribute.kinds.rawValue != 0 }
    }

    static let fieldAttributes = Known(.id, .default, .unique, .updatedAt, .map, .relation, .ignore)
    static let compositeFieldAttributes = Known(.default, .map)
    static let modelAttributes = Known(.id, .unique, .index, .map, .ignore, .schema)
    static let compositeTypeAttributes = Known()
    static let enumValueAttributes = Known(.map)
    static let enumAttributes = Known(.map, .schema)
    /// Attributes that may be written more than once on the same field or block.
    static let repeatable = AttributeKinds.of(.unique, .index)

    /// The attributes of one block, its fields and its values.
    static func check(_ block: Block, _ context: inout ValidationContext) {
        switch block.kind {
        case .model, .view, .type:
            let known = block.kind == .type ? compositeFieldAttributes : fieldAttributes
            for field in block.fields {
                checkKnown(field.attributes, known: known, &context)
                checkField(field, &context)
            }
            checkKnown(
                block.blockAttributes,
                known: block.kind == .type ? compositeTypeAttributes : modelAttributes,
                &context
            )
            checkIdentifiers(block, &context)
        case .enum:
            for value in block.enumValues { checkKnown(value.attributes, known: enumValueAttributes, &context) }
            checkKnown(block.blockAttributes, known: enumAttributes, &context)
        case .datasource, .generator:
            break
        }
    }

    /// Unknown and repeated attributes; native types (`@db.X`) are left to `NativeTypeRules`.
    private static func checkKnown(_ attributes: [Attribute], known: Known, _ context: inout ValidationContext) {
        // What has been seen: a known attribute's kind, or (`native`) a native type.
        var seen = AttributeKinds(rawValue: 0)
        var seenNativeType = false
        for attribute in attributes {
            let isNativeType =
                attribute.kinds.contains(.dotted) && !attribute.isBlockAttribute && known.kinds.contains(.default)
                && context.nativeTypePrefix.map { attribute.name.isNativeType(prefix: $0) } == true
            guard known.contains(attribute) || isNativeType else {
                context.error(
                    "Attribute not known: \"\(attribute.displayName)\".",
                    at: attribute.range,
                    hint: hint(for: attribute, known: known.names, context)
                )
                continue
            }
            let isRepeated = isNativeType ? seenNativeType : seen.rawValue & attribute.kinds.rawValue != 0
            if repeatable.rawValue & attribute.kinds.rawValue == 0, isRepeated {
                context.error(
                    "Attribute \"\(isNativeType ? "@\(context.nativeTypePrefix ?? "db")" : attribute.displayName)\" can only be defined once.",
                    at: attribute.range
                )
            }
            if isNativeType { seenNativeType = true } else { seen.formUnion(attribute.kinds) }
            guard attribute.is(.map) else { continue }
            if let argument = attribute.argument("name", position: 0) {
                if argument.value.stringValue?.isEmpty != false {
                    context.attributeError(
                        attribute,
                        "Expected a non-empty string value, but received \(argument.value).",
                        at: argument.value.range
                    )
                }
            } else {
                context.attributeError(attribute, "Argument \"name\" is missing.")
            }
        }
    }

    private static func hint(for attribute: Attribute, known: Set<String>, _ context: ValidationContext) -> String? {
        if attribute.name.utf8.contains(UInt8(ascii: ".")), let prefix = context.nativeTypePrefix {
            let type = attribute.name.split(separator: ".").dropFirst().joined(separator: ".")
            return "native types use the datasource's name: @\(prefix).\(type)"
        }
        let close = known.filter { editDistance($0.lowercased(), attribute.name.lowercased()) <= 2 }.sorted()
        guard let best = close.first else { return nil }
        return "did you mean \"\(attribute.isBlockAttribute ? "@@" : "@")\(best)\"?"
    }

    private static func checkField(_ field: Field, _ context: inout ValidationContext) {
        if field.has(.updatedAt), field.type.scalar != .dateTime, let updatedAt = field.attribute(.updatedAt) {
            context.attributeError(updatedAt, "Fields that are marked with @updatedAt must be of type DateTime.")
        }
        if field.has(.id), field.type.arity != .required, let id = field.attribute(.id) {
            context.attributeError(id, "Fields that are marked as id must be required.")
        }
    }

    /// At most one `@id` field, and not together with `@@id`.
    private static func checkIdentifiers(_ block: Block, _ context: inout ValidationContext) {
        var idCount = 0
        block.fields.withUnsafeBufferPointer { fields in
            for index in fields.indices where fields[index].has(.id) { idCount += 1 }
        }
        guard idCount > 0 else { return }
        if idCount > 1 {
            let idFields = block.fields.filter { $0.has(.id) }
            context.error(
                "At most one field must be marked as the id field with the `@id` attribute.",
                at: block.name.range,
                hint: "for a composite primary key, use `@@id([\(idFields.map(\.name.name).joined(separator: ", "))])`"
            )
        }
        if block.has(.id) {
            context.error(
                "Each model must have at most one id criteria. You can't have `@id` and `@@id` at the same time.",
                at: block.name.range
            )
        }
    }
}
