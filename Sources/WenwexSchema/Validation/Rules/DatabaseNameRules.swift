/// Names in the database must not clash even when the schema's names differ: two models (or
/// views) mapped to one table, two enums mapped to one type, two values of an enum mapped to
/// one label, and (PostgreSQL) a primary key, unique constraint or index name used twice in
/// one database schema, where PostgreSQL keeps them in one namespace.
enum DatabaseNameRules {
    static func check(_ context: inout ValidationContext) {
        checkTables(&context)
        checkEnums(&context)
        if context.provider == .postgresql { checkConstraintNames(&context) }
    }

    private static func mapped(_ block: Block) -> String {
        block.blockAttributes(.map).first?.argument("name", position: 0)?.value.stringValue ?? block.name.name
    }

    private static func namespace(_ block: Block) -> String {
        block.blockAttributes(.schema).first?.argument("name", position: 0)?.value.stringValue ?? ""
    }

    private static func checkTables(_ context: inout ValidationContext) {
        var seen: [String: Block] = [:]
        for block in context.schema.blocks where block.kind == .model || block.kind == .view {
            let key = namespace(block) + "." + mapped(block)
            guard let first = seen[key] else {
                seen[key] = block
                continue
            }
            guard first.name.name != block.name.name else { continue }  // NameRules reports it.
            context.error(
                "The \(block.kind.displayName) with database name \"\(mapped(block))\" could not be defined because another model or view with this name exists: \"\(first.name.name)\"",
                at: block.blockAttributes(.map).first?.range ?? block.name.range,
                hint: "map one of them to another table with `@@map(\"…\")`"
            )
        }
    }

    private static func checkEnums(_ context: inout ValidationContext) {
        var seen: [String: Block] = [:]
        for block in context.schema.enums {
            let key = namespace(block) + "." + mapped(block)
            if let first = seen[key] {
                if first.name.name != block.name.name {  // Same names: NameRules reports it.
                    context.error(
                        "An enum with the same database name is already defined.",
                        at: block.name.range,
                        hint: "map it to another type with `@@map(\"…\")`; \"\(first.name.name)\" has the name"
                    )
                }
            } else {
                seen[key] = block
            }
            var labels: [String: EnumValue] = [:]
            for value in block.enumValues {
                let label =
                    value.attributes.first { $0.is(.map) }?.argument("name", position: 0)?.value.stringValue
                    ?? value.name.name
                if let first = labels[label] {
                    guard first.name.name != value.name.name else { continue }  // NameRules reports it.
                    context.error(
                        "`@map`'d value \"\(label)\" is already defined on enum \"\(block.name.name)\" in field \"\(first.name.name)\".",
                        at: value.range,
                        hint: "map one of the values to another label"
                    )
                } else {
                    labels[label] = value
                }
            }
        }
    }

    /// Primary keys, uniques and indexes by name, per database schema: every one that shares a
    /// name is reported (Prisma points at each).
    private static func checkConstraintNames(_ context: inout ValidationContext) {
        var owners: [String: [(model: String, attribute: Attribute)]] = [:]
        for model in context.schema.models where !model.isIgnored {
            let table = mapped(model)
            let space = namespace(model) + "."
            func name(_ attribute: Attribute, _ fallback: String) -> String {
                attribute.argument("map")?.value.stringValue ?? fallback
            }
            for field in model.fields {
                let column =
                    field.attribute(.map)?.argument("name", position: 0)?.value.stringValue ?? field.name.name
                if let id = field.attribute(.id) {
                    owners[space + name(id, ConstraintNames.primaryKey(table: table, dialect: .postgres)), default: []]
                        .append((model.name.name, id))
                }
                if let unique = field.attribute(.unique) {
                    let fallback = ConstraintNames.unique(table: table, columns: [column], dialect: .postgres)
                    owners[space + name(unique, fallback), default: []].append((model.name.name, unique))
                }
            }
            for attribute in model.blockAttributes where attribute.is(.id) {
                owners[
                    space + name(attribute, ConstraintNames.primaryKey(table: table, dialect: .postgres)),
                    default: []
                ]
                .append((model.name.name, attribute))
            }
            // `@@unique` and `@@index`: their `map:`, else Prisma's default name over the columns.
            for attribute in model.blockAttributes where attribute.is(.unique) || attribute.is(.index) {
                let columns = IndexRules.fieldNames(of: attribute).map { field in
                    model.field(field.name)?.attribute(.map)?.argument("name", position: 0)?.value.stringValue
                        ?? field.name
                }
                let fallback =
                    attribute.is(.unique)
                    ? ConstraintNames.unique(table: table, columns: columns, dialect: .postgres)
                    : ConstraintNames.index(table: table, columns: columns, dialect: .postgres)
                owners[space + name(attribute, fallback), default: []].append((model.name.name, attribute))
            }
        }
        // Within one model, two ids are the identity rules' finding, not a name clash.
        for (key, owners) in owners.sorted(by: { $0.key < $1.key }) where Set(owners.map(\.model)).count > 1 {
            let constraint = key.split(separator: ".", maxSplits: 1).last.map(String.init) ?? key
            for (_, attribute) in owners {
                context.attributeError(
                    attribute,
                    "The given constraint name `\(constraint)` has to be unique in the following namespace: global for primary key, indexes and unique constraints. Please provide a different name using the `map` argument.",
                    hint: "give one of them `map: \"…\"`"
                )
            }
        }
    }
}
