import WenwexSQL

/// Builds the models and enums of a pulled schema from a database model, in the order the
/// names depend on each other: model and enum names first, then each model's scalar fields and
/// keys, then the join tables that really are implicit many-to-many relations, then relations.
struct PullBuilder {
    let schema: SQLSchema
    let dialect: SQLDialect
    /// The datasource's name: the prefix of native type attributes (`db` in `@db.VarChar`).
    let nativePrefix: String
    let hints: PullHints
    private(set) var models: [PulledModel] = []
    private(set) var modelIndex: [TableKey: Int] = [:]
    private(set) var enums: [PulledEnum] = []
    private(set) var joinTables: [JoinTable] = []
    var warnings: [String] = []
    /// Model and enum names share one namespace.
    private var typeNames = NameScope()
    /// Enums by (schema, database name), and by database name alone for columns whose type
    /// lives in another schema.
    private var enumIndex: [TableKey: Int] = [:]
    private var enumByName: [String: Int] = [:]

    init(schema: SQLSchema, dialect: SQLDialect, nativePrefix: String, hints: PullHints = PullHints()) {
        self.schema = dialect == .sqlite ? SQLiteIntegerKeys.widened(schema) : schema
        self.dialect = dialect
        self.nativePrefix = nativePrefix
        self.hints = hints
    }

    /// Everything, ready to print.
    mutating func build() {
        let candidates = schema.tables.compactMap { JoinTables.recognise($0, in: schema, dialect: dialect) }
        let joinKeys = Set(candidates.map { TableKey($0.table) })
        let tables = schema.tables.filter { !joinKeys.contains(TableKey($0)) }
        let modelNames = typeNames.claimAll(
            tables.map { typeNameRequest(hints.modelNames[TableKey($0)], $0.name, .model) }
        )
        for (table, name) in zip(tables, modelNames) { addModel(table, name: name) }
        let enumNames = typeNames.claimAll(
            schema.enums.map { typeNameRequest(hints.enumNames[Self.key(of: $0)], $0.name, .enumeration) }
        )
        for (enumeration, name) in zip(schema.enums, enumNames) { addEnum(enumeration, name: name) }
        for index in models.indices { completeModel(index) }
        for candidate in candidates {
            if isImplicitManyToMany(candidate) {
                joinTables.append(candidate)
            } else {
                let table = candidate.table
                let request = typeNameRequest(hints.modelNames[TableKey(table)], table.name, .model)
                addModel(table, name: typeNames.claim(request.candidates))
                completeModel(models.count - 1)
            }
        }
        addRelations()
        for index in models.indices { orderFields(&models[index]) }
    }

    // MARK: - Names

    private mutating func addModel(_ table: SQLTable, name: String) {
        modelIndex[TableKey(table)] = models.count
        models.append(PulledModel(table: table, name: name))
    }

    private mutating func addEnum(_ source: SQLEnum, name: String) {
        let key = Self.key(of: source)
        var scope = NameScope()
        let names = scope.claimAll(
            source.values.map { nameRequest(hints.enumValueNames[key]?[$0], $0, .enumValue) }
        )
        var enumeration = PulledEnum(
            source: source,
            name: name,
            values: zip(names, source.values).map { (name: $0, database: $1) }
        )
        if name != source.name { enumeration.attributes.append("@@map(\(PullText.quoted(source.name)))") }
        if let schema = source.schema { enumeration.attributes.append("@@schema(\(PullText.quoted(schema)))") }
        enumIndex[key] = enums.count
        if enumByName[source.name] == nil { enumByName[source.name] = enums.count }
        enums.append(enumeration)
    }

    static func key(of enumeration: SQLEnum) -> TableKey {
        TableKey(schema: enumeration.schema, name: enumeration.name)
    }

    /// The name an existing schema used, then the sanitized database name; `exact` when the
    /// first of them is not a made-up name.
    private func nameRequest(
        _ preferred: String?,
        _ database: String,
        _ kind: PullNames.Kind
    ) -> (candidates: [String], exact: Bool) {
        let sanitized = PullNames.sanitize(database, as: kind)
        return ((preferred.map { [$0] } ?? []) + [sanitized], preferred != nil || sanitized == database)
    }

    /// As `nameRequest`, with `Renamed…` for names the schema language reserves (as Prisma does).
    private func typeNameRequest(
        _ preferred: String?,
        _ database: String,
        _ kind: PullNames.Kind
    ) -> (candidates: [String], exact: Bool) {
        var request = nameRequest(preferred, database, kind)
        if let last = request.candidates.last, PullNames.reservedTypeNames.contains(last) {
            request.candidates[request.candidates.count - 1] = "Renamed" + last
            request.exact = preferred != nil
        }
        return request
    }

    /// The enum a column of type `type` holds, when it is one of the pulled enums.
    private func enumeration(of type: SQLColumnType, schema: String?) -> PulledEnum? {
        guard case .enum(let name) = type.family else { return nil }
        return (enumIndex[TableKey(schema: schema, name: name)] ?? enumByName[name]).map { enums[$0] }
    }

    // MARK: - Scalar fields, keys, @@ignore

    private mutating func completeModel(_ index: Int) {
        var model = models[index]
        let table = model.table
        let key = model.key
        let primaryKey = Set(table.primaryKey?.columns ?? [])
        let names = model.scope.claimAll(
            table.columns.map { nameRequest(hints.fieldNames[key]?[$0.name], $0.name, .field) }
        )
        for (column, name) in zip(table.columns, names) {
            let enumeration = enumeration(of: column.type, schema: table.schema)
            let type = PullTypes.map(column.type, dialect: dialect, enumName: { _ in enumeration?.name })
            model.fieldNames[column.name] = name
            // A primary key column is required whatever SQLite's legacy NULL rules say.
            let isOptional = column.isNullable && !primaryKey.contains(column.name) && !type.isList
            var attributes: [String] = []
            let enumValue = { (value: String) in enumeration?.values.first { $0.database == value }?.name }
            if let value = PullDefaults.attribute(for: column, type: type, enumValue: enumValue) {
                attributes.append(value)
            } else if let generated = hints.applicationDefaults[key]?[column.name], !type.isList,
                type.scalar == (generated == "@updatedAt" ? .dateTime : .string)
            {
                attributes.append(generated)
            }
            if name != column.name { attributes.append("@map(\(PullText.quoted(column.name)))") }
            if let native = type.native { attributes.append("@\(nativePrefix).\(native)") }
            model.fields.append(
                PulledField(
                    name: name,
                    type: type.text(optional: isOptional),
                    attributes: attributes,
                    documentation: hints.fieldDocumentation[key]?[column.name] ?? [],
                    column: column.name,
                    baseType: type.base,
                    isOptional: isOptional,
                    isUnsupported: type.unsupported != nil
                )
            )
        }
        PullKeys.add(to: &model, dialect: dialect, warnings: &warnings)
        if model.name != table.name { model.attributes.append("@@map(\(PullText.quoted(table.name)))") }
        if let schema = table.schema { model.attributes.append("@@schema(\(PullText.quoted(schema)))") }
        model.documentation = hints.modelDocumentation[key] ?? []
        if !hasUniqueCriterion(model) {
            model.isIgnored = true
            model.attributes.append("@@ignore")
            model.documentation.append(
                " The underlying table has no primary key and no unique constraint over required columns, so rows"
            )
            model.documentation.append(" cannot be told apart: it is ignored until it gets one.")
            warnings.append(
                "The table \(table.name) has no primary key and no unique constraint over required columns; its model \(model.name) is marked @@ignore."
            )
        }
        models[index] = model
    }

    /// What `IdentityRules` asks of a model: a primary key, or a unique constraint whose
    /// columns are all required and of types Prisma knows.
    private func hasUniqueCriterion(_ model: PulledModel) -> Bool {
        let usable = { (column: String) in
            model.field(forColumn: column).map { !$0.isUnsupported && !$0.isOptional && !$0.type.hasSuffix("[]") }
                ?? false
        }
        if let key = model.table.primaryKey?.columns, key.count > 1 || key.count == 1 && usable(key[0]) {
            return true
        }
        return uniqueCriteria(of: model.table).contains { !$0.isEmpty && $0.allSatisfy(usable) }
    }

    /// The column sets a table keeps unique: its primary key, unique constraints and unique
    /// indexes over plain columns (all written as `@id`/`@unique`/`@@unique`).
    func uniqueCriteria(of table: SQLTable) -> [[String]] {
        var criteria: [[String]] = table.primaryKey.map { [$0.columns] } ?? []
        criteria += table.uniques.map(\.columns)
        criteria += table.indexes.filter { index in
            index.isUnique && index.columns.allSatisfy { table.column($0.name) != nil }
        }
        .map { $0.columns.map(\.name) }
        return criteria
    }

    // MARK: - Join tables

    /// Whether lowering the pulled models would create this join table again: both models
    /// exist and are not ignored, and column `A` points at the model whose name sorts first.
    private mutating func isImplicitManyToMany(_ candidate: JoinTable) -> Bool {
        guard let a = modelIndex[candidate.a], let b = modelIndex[candidate.b],
            !models[a].isIgnored, !models[b].isIgnored, models[a].name <= models[b].name
        else { return false }
        return true
    }

    // MARK: - Mutation for relation inference

    mutating func withModel<Result>(_ index: Int, _ body: (inout PulledModel) -> Result) -> Result {
        body(&models[index])
    }

    /// Fields in Prisma's order: scalars as the table has them, then relation fields that hold
    /// a foreign key, then the other sides of relations by name.
    private func orderFields(_ model: inout PulledModel) {
        let scalars = model.fields.filter { $0.column != nil }
        let forward = model.fields.filter { $0.column == nil && !$0.isBackRelation }
        let back = model.fields.filter(\.isBackRelation).sorted { $0.name < $1.name }
        model.fields = scalars + forward + back
    }
}
