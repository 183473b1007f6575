/// `@@id`, `@@unique` and `@@index` must list existing scalar fields, with valid `sort`
/// orders, and only the index options the provider has.
enum IndexRules {
    /// PostgreSQL's index access methods, as `@@index(type: …)` names them.
    static let postgresIndexTypes: Set<String> = ["BTree", "Hash", "Gist", "Gin", "SpGist", "Brin"]

    private static let indexKinds = AttributeKinds.of(.id, .unique, .index)

    /// The `@@id`, `@@unique` and `@@index` of one model or view.
    static func check(_ model: Block, _ context: inout ValidationContext) {
        guard model.kind == .model || model.kind == .view else { return }
        for attribute in model.blockAttributes where attribute.kinds.rawValue & indexKinds.rawValue != 0 {
            checkFields(attribute, in: model, &context)
            checkOptions(attribute, &context)
            checkClustering(attribute, &context)
            checkWhere(attribute, &context)
        }
        for field in model.fields where field.has(.id) || field.has(.unique) {
            for attribute in field.attributes where attribute.is(.id) || attribute.is(.unique) {
                checkClustering(attribute, &context)
                if let length = attribute.argument("length") {
                    context.attributeError(
                        attribute,
                        "The length argument is not supported in an index definition with the current connector",
                        at: length.range,
                        hint: "prefix lengths exist on MySQL and SQL Server, not on PostgreSQL or SQLite"
                    )
                }
            }
        }
    }

    /// `clustered:` is SQL Server's; neither PostgreSQL nor SQLite has it.
    private static func checkClustering(_ attribute: Attribute, _ context: inout ValidationContext) {
        guard let clustered = attribute.argument("clustered") else { return }
        context.attributeError(
            attribute,
            "Defining clustering is not supported in the current connector.",
            at: clustered.range,
            hint: "remove `clustered:`; it exists on SQL Server only"
        )
    }

    /// `where:` makes a partial index: Prisma's `partialIndexes` preview feature, PostgreSQL
    /// only, and never an empty condition.
    private static func checkWhere(_ attribute: Attribute, _ context: inout ValidationContext) {
        guard let condition = attribute.argument("where") else { return }
        if !context.previewFeatures.contains("partialIndexes") {
            context.attributeError(
                attribute,
                "You have a partial index definition. Partial indexes are currently a preview feature. To use partial indexes, please add \"partialIndexes\" to the preview features.",
                at: condition.range
            )
        } else if context.provider == .sqlite {
            context.attributeError(
                attribute,
                "Partial indexes are only supported on PostgreSQL and CockroachDB. Your connector is `sqlite`.",
                at: condition.range
            )
        } else if condition.value.stringValue?.allSatisfy({ $0 == " " }) == true {
            context.attributeError(
                attribute,
                "The `where` argument cannot be an empty string.",
                at: condition.value.range,
                hint: "write the condition, e.g. `where: \"\\\"isActive\\\" = true\"`, or remove `where:`"
            )
        }
    }

    /// The field names of a multi-field attribute's `fields` argument (`title` in `title(sort: Desc)`).
    static func fieldNames(of attribute: Attribute) -> [Identifier] {
        guard let fields = attribute.argument("fields", position: 0) else { return [] }
        return fields.value.elements.compactMap { element in
            element.constantName.map { Identifier($0, range: element.range) }
        }
    }

    private static func checkFields(_ attribute: Attribute, in model: Block, _ context: inout ValidationContext) {
        guard let fields = attribute.argument("fields", position: 0) else {
            context.attributeError(attribute, "Argument \"fields\" is missing.")
            return
        }
        let names = fieldNames(of: attribute)
        // A single field stands for a one-element list (`@@index(userId)`), as Prisma coerces it.
        guard names.count == fields.value.elements.count, !names.isEmpty else {
            context.attributeError(
                attribute,
                "Expected a list of field names, for example `[title, createdAt]`, but received \(fields.value).",
                at: fields.value.range
            )
            return
        }
        let unknown = names.filter { model.field($0.name) == nil }
        if !unknown.isEmpty {
            let list = unknown.map(\.name).joined(separator: ", ")
            let message =
                switch attribute.name {
                case "id": "The multi field id declaration refers to the unknown fields \(list)."
                case "unique": "The unique index definition refers to the unknown fields: \(list)."
                default: "The index definition refers to the unknown fields: \(list)."
                }
            context.attributeError(attribute, message, at: unknown[0].range)
        }
        let relations = names.filter { name in
            guard let field = model.field(name.name) else { return false }
            if case .model = context.resolve(field.type) { return true }
            return false
        }
        if !relations.isEmpty {
            let list = relations.map(\.name).joined(separator: ", ")
            let what = attribute.name == "id" ? "id" : "index"
            context.attributeError(
                attribute,
                "The \(what) definition refers to the relation fields \(list). \(what == "id" ? "ID" : "Index") definitions must reference only scalar fields.",
                at: relations[0].range
            )
        }
    }

    private static func checkOptions(_ attribute: Attribute, _ context: inout ValidationContext) {
        for element in attribute.argument("fields", position: 0)?.value.elements ?? [] {
            guard case .function(_, let arguments) = element.kind else { continue }
            for argument in arguments {
                switch argument.name?.name {
                case "sort":
                    if argument.value.constantName != "Asc" && argument.value.constantName != "Desc" {
                        context.attributeError(
                            attribute,
                            "Invalid sort order \(argument.value): expected Asc or Desc.",
                            at: argument.value.range
                        )
                    }
                case "length":
                    context.attributeError(
                        attribute,
                        "The length argument is not supported in an index definition with the current connector",
                        at: argument.range,
                        hint: "prefix lengths exist on MySQL and SQL Server, not on PostgreSQL or SQLite"
                    )
                case "ops" where context.provider == .postgresql:
                    break
                default:
                    context.attributeError(
                        attribute,
                        "The argument `\(argument.name?.name ?? argument.value.description)` is not supported on an index field.",
                        at: argument.range
                    )
                }
            }
        }
        if let type = attribute.argument("type") {
            let name = type.value.constantName ?? type.value.description
            if context.provider == .sqlite || attribute.name != "index" {
                context.attributeError(
                    attribute,
                    "The `type` argument is not supported with the current connector.",
                    at: type.range
                )
            } else if !postgresIndexTypes.contains(name) {
                context.attributeError(
                    attribute,
                    "Unknown index type \(name): expected one of \(postgresIndexTypes.sorted().joined(separator: ", ")).",
                    at: type.value.range
                )
            }
        }
    }
}
