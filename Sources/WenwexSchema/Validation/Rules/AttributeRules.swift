/// Attributes must be known where they are written, appear once, and fit their field:
/// `@updatedAt` only on DateTime, `@id` only on required fields, `@map`/`@@map` with a name.
enum AttributeRules {
    static let fieldAttributes: Set<String> = ["id", "default", "unique", "updatedAt", "map", "relation", "ignore"]
    static let compositeFieldAttributes: Set<String> = ["default", "map"]
    static let modelAttributes: Set<String> = ["id", "unique", "index", "map", "ignore", "schema"]
    static let enumValueAttributes: Set<String> = ["map"]
    static let enumAttributes: Set<String> = ["map", "schema"]
    /// Attributes that may be written more than once on the same field or block.
    static let repeatable: Set<String> = ["unique", "index"]

    static func check(_ context: inout ValidationContext) {
        for block in context.schema.blocks {
            switch block.kind {
            case .model, .view, .type:
                let known = block.kind == .type ? compositeFieldAttributes : fieldAttributes
                for field in block.fields {
                    checkKnown(field.attributes, known: known, &context)
                    checkField(field, &context)
                }
                checkKnown(block.blockAttributes, known: block.kind == .type ? [] : modelAttributes, &context)
                checkIdentifiers(block, &context)
            case .enum:
                for value in block.enumValues { checkKnown(value.attributes, known: enumValueAttributes, &context) }
                checkKnown(block.blockAttributes, known: enumAttributes, &context)
            case .datasource, .generator:
                break
            }
        }
    }

    /// Unknown and repeated attributes; native types (`@db.X`) are left to `NativeTypeRules`.
    private static func checkKnown(_ attributes: [Attribute], known: Set<String>, _ context: inout ValidationContext) {
        // A handful of attributes per field: a list is cheaper than hashing into a set.
        var keys: [String] = []
        for attribute in attributes {
            let isNativeType =
                !attribute.isBlockAttribute && attribute.name.utf8.contains(UInt8(ascii: "."))
                && attribute.name.split(separator: ".").first.map(String.init) == context.nativeTypePrefix
                && known.contains("default")
            guard known.contains(attribute.name) || isNativeType else {
                context.error(
                    "Attribute not known: \"\(attribute.displayName)\".",
                    at: attribute.range,
                    hint: hint(for: attribute, known: known, context)
                )
                continue
            }
            let key = isNativeType ? "@db" : attribute.name
            if !repeatable.contains(attribute.name), keys.contains(key) {
                context.error(
                    "Attribute \"\(isNativeType ? "@\(context.nativeTypePrefix ?? "db")" : attribute.displayName)\" can only be defined once.",
                    at: attribute.range
                )
            }
            keys.append(key)
            if attribute.name == "map", let argument = attribute.argument("name", position: 0) {
                if argument.value.stringValue?.isEmpty != false {
                    context.attributeError(
                        attribute,
                        "Expected a non-empty string value, but received \(argument.value).",
                        at: argument.value.range
                    )
                }
            } else if attribute.name == "map" {
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
        if let updatedAt = field.attribute("updatedAt"), field.type.name != ScalarType.dateTime.rawValue {
            context.attributeError(updatedAt, "Fields that are marked with @updatedAt must be of type DateTime.")
        }
        if let id = field.attribute("id"), field.type.arity != .required {
            context.attributeError(id, "Fields that are marked as id must be required.")
        }
    }

    /// At most one `@id` field, and not together with `@@id`.
    private static func checkIdentifiers(_ block: Block, _ context: inout ValidationContext) {
        let idFields = block.fields.filter { $0.attribute("id") != nil }
        if idFields.count > 1 {
            context.error(
                "At most one field must be marked as the id field with the `@id` attribute.",
                at: block.name.range,
                hint: "for a composite primary key, use `@@id([\(idFields.map(\.name.name).joined(separator: ", "))])`"
            )
        }
        if !idFields.isEmpty, !block.blockAttributes(named: "id").isEmpty {
            context.error(
                "Each model must have at most one id criteria. You can't have `@id` and `@@id` at the same time.",
                at: block.name.range
            )
        }
    }
}
