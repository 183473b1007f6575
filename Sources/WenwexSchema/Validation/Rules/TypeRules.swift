/// Field types must exist and be supported by the provider: no unknown names, no scalar lists
/// on SQLite, no composite types on relational databases.
enum TypeRules {
    /// The field types of one block.
    static func check(_ block: Block, _ context: inout ValidationContext) {
        guard block.hasFields else { return }
        for field in block.fields {
            checkField(field, in: block, &context)
        }
    }

    /// After every block: composite types are read but not created.
    static func finish(_ context: inout ValidationContext) {
        for composite in context.schema.compositeTypes {
            context.warning(
                "Composite types are only supported on MongoDB; Wenwex reads the type \"\(composite.name.name)\" but will not create it in the database.",
                at: composite.name.range,
                hint: "store the data in a Json field or a related model"
            )
        }
    }

    private static func checkField(_ field: Field, in block: Block, _ context: inout ValidationContext) {
        guard let resolved = context.resolve(field.type) else {
            context.error(
                "Type \"\(field.type.name)\" is neither a built-in type, nor refers to another model, composite type, or enum.",
                at: field.type.nameRange,
                hint: suggestion(for: field.type.name, context)
            )
            return
        }
        switch resolved {
        case .scalar, .enum:
            if field.type.isList, context.provider == .sqlite {
                context.error(
                    "Field \"\(field.name.name)\" in \(block.kind.displayName) \"\(block.name.name)\" can't be a list. The current connector does not support lists of primitive types.",
                    at: field.type.range,
                    hint: "SQLite has no array columns: use a related model, or a Json field"
                )
            }
        case .composite where block.kind != .type && context.provider != nil:
            context.error(
                "Composite types are not supported on the current connector: field \"\(field.name.name)\" has type \"\(field.type.name)\".",
                at: field.type.nameRange
            )
        case .model where block.kind == .type:
            context.error(
                "Composite types cannot have relation fields: \"\(field.name.name)\" refers to the model \"\(field.type.name)\".",
                at: field.type.nameRange
            )
        case .model, .composite, .unsupported:
            break
        }
    }

    /// "did you mean" for a misspelt type: the known name closest to `name`.
    private static func suggestion(for name: String, _ context: ValidationContext) -> String? {
        let candidates =
            ScalarType.allCases.map(\.rawValue) + Array(context.models.keys) + Array(context.enums.keys)
            + Array(context.compositeTypes.keys)
        let scored = candidates.map { ($0, editDistance($0.lowercased(), name.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }),
            best.1 <= max(1, name.count / 3)
        else { return nil }
        return "did you mean \"\(best.0)\"?"
    }
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var row = [i] + Array(repeating: 0, count: b.count)
        for j in 1...max(1, b.count) where !b.isEmpty {
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = row
    }
    return previous[b.count]
}
