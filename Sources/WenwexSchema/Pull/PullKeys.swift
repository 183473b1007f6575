import WenwexSQL

/// Primary keys, unique constraints and indexes as `@id`/`@@id`, `@unique`/`@@unique` and
/// `@@index`: the inverse of `IndexLowering` and the primary key part of `SchemaLowering`.
///
/// A constraint gets `map: "…"` only when its name is not the one Prisma would give it
/// (`ConstraintNames`), so pulling a database Prisma created adds no noise. SQLite keeps no
/// primary key names, so there a primary key never has one.
enum PullKeys {
    static func add(to model: inout PulledModel, dialect: SQLDialect, warnings: inout [String]) {
        let table = model.table
        if let key = table.primaryKey {
            let conventional = ConstraintNames.primaryKey(table: table.name, dialect: dialect)
            let map = dialect == .postgres ? key.name.flatMap { $0 == conventional ? nil : $0 } : nil
            add("id", columns: key.columns, map: map, to: &model)
        }
        for unique in table.uniques {
            let conventional = ConstraintNames.unique(table: table.name, columns: unique.columns, dialect: dialect)
            let map = unique.name == conventional || isAutomatic(unique.name, dialect) ? nil : unique.name
            add("unique", columns: unique.columns, map: map, to: &model)
        }
        for index in table.indexes {
            guard let attribute = indexAttribute(index, model: model, dialect: dialect, warnings: &warnings) else {
                continue
            }
            model.attributes.append(attribute)
        }
    }

    /// `@id`/`@unique` on the field for one column, `@@id`/`@@unique` on the model for several.
    private static func add(_ kind: String, columns: [String], map: String?, to model: inout PulledModel) {
        let names = columns.map { model.fieldNames[$0] ?? $0 }
        let mapArgument = map.map { "map: \(PullText.quoted($0))" }
        if names.count == 1, let index = model.fields.firstIndex(where: { $0.name == names[0] }) {
            model.fields[index].attributes.append(PullText.call("@" + kind, mapArgument.map { [$0] } ?? []))
            return
        }
        model.attributes.append(PullText.call("@@" + kind, [PullText.list(names)] + (mapArgument.map { [$0] } ?? [])))
    }

    /// `@@index([a, b(sort: Desc)], map: "…", type: Hash)`, or `@@unique` for a unique index the
    /// model could not keep as a plain unique constraint; `nil` (with a warning) for an index
    /// over expressions, which the schema language cannot express.
    private static func indexAttribute(
        _ index: SQLIndex,
        model: PulledModel,
        dialect: SQLDialect,
        warnings: inout [String]
    ) -> String? {
        let table = model.table
        guard index.columns.allSatisfy({ table.column($0.name) != nil }) else {
            warnings.append(
                "The index \(index.name) on \(table.name) is over expressions, which a Prisma schema cannot express; it was left out."
            )
            return nil
        }
        let columnNames = index.columns.map(\.name)
        let fields = index.columns.map { column in
            let name = model.fieldNames[column.name] ?? column.name
            var options: [String] = []
            if column.sort == .descending { options.append("sort: Desc") }
            if let operatorClass = column.operatorClass {
                options.append("ops: raw(\(PullText.quoted(operatorClass)))")
            }
            return options.isEmpty ? name : "\(name)(\(options.joined(separator: ", ")))"
        }
        var arguments = [PullText.list(fields)]
        let conventional =
            index.isUnique
            ? ConstraintNames.unique(table: table.name, columns: columnNames, dialect: dialect)
            : ConstraintNames.index(table: table.name, columns: columnNames, dialect: dialect)
        if index.name != conventional, !isAutomatic(index.name, dialect) {
            arguments.append("map: \(PullText.quoted(index.name))")
        }
        if let method = index.method {
            if let type = indexTypes[method], !index.isUnique {
                arguments.append("type: \(type)")
            } else {
                warnings.append(
                    "The index \(index.name) on \(table.name) uses the access method \(method), which a Prisma schema cannot express here; it is written as a B-tree index."
                )
            }
        }
        return PullText.call(index.isUnique ? "@@unique" : "@@index", arguments)
    }

    /// SQLite names the indexes behind inline `UNIQUE` constraints `sqlite_autoindex_<table>_<n>`
    /// and reserves the `sqlite_` prefix: such a name can be neither kept nor created again, so
    /// it gets Prisma's conventional one.
    private static func isAutomatic(_ name: String, _ dialect: SQLDialect) -> Bool {
        dialect == .sqlite && name.hasPrefix("sqlite_autoindex_")
    }

    /// PostgreSQL's access methods (`pg_am` names) → `@@index(type: …)`.
    private static let indexTypes: [String: String] = [
        "hash": "Hash", "gist": "Gist", "gin": "Gin", "spgist": "SpGist", "brin": "Brin",
    ]
}
