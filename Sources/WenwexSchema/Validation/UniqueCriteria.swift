/// The sets of fields a model declares unique: `@id`, `@unique`, `@@id`, `@@unique`.
///
/// Relations need them twice: `references` must point at one, and the foreign key of a 1-1
/// relation must be one.
enum UniqueCriteria {
    static func of(_ model: Block) -> [Set<String>] {
        var criteria: [Set<String>] = []
        for field in model.fields where field.has(.id) || field.has(.unique) {
            criteria.append([field.name.name])
        }
        for attribute in model.blockAttributes where attribute.name == "id" || attribute.name == "unique" {
            let names = IndexRules.fieldNames(of: attribute).map(\.name)
            if !names.isEmpty { criteria.append(Set(names)) }
        }
        return criteria
    }

    /// Whether `of(model)` contains `names`, without building every criterion: relation rules
    /// ask this once per relation, and a large schema has thousands of them.
    static func contains(_ model: Block, _ names: Set<String>) -> Bool {
        if names.count == 1, let only = names.first,
            model.fields.containsInPlace(where: { field in
                field.name.name == only && (field.has(.id) || field.has(.unique))
            })
        {
            return true
        }
        return model.blockAttributes.containsInPlace { attribute in
            guard attribute.name == "id" || attribute.name == "unique" else { return false }
            let fields = IndexRules.fieldNames(of: attribute)
            return !fields.isEmpty && Set(fields.map(\.name)) == names
        }
    }
}
