/// What the rules share: the schema, lookups by name, the datasource's settings, and the
/// diagnostics found so far.
struct ValidationContext {
    let schema: PrismaSchema
    /// Models and views by name (the first declaration wins when names clash).
    let models: [String: Block]
    let enums: [String: Block]
    let compositeTypes: [String: Block]
    /// The first datasource, when there is one.
    let datasource: Block?
    /// `postgresql` or `sqlite` when the datasource names one of them.
    let provider: Provider?
    /// The datasource's name, the prefix of native type attributes (`db` in `@db.VarChar`).
    let nativeTypePrefix: String?
    /// `relationMode = "prisma"`: relations are emulated by the client, without foreign keys.
    let emulatesRelations: Bool
    /// Every generator's `previewFeatures` (a single string counts as a list of one).
    let previewFeatures: Set<String>
    /// Whether no two models or views share a name (a valid schema's case): then a model's
    /// name stands for one block, which lets the relation rules look things up by block.
    let hasUniqueModelNames: Bool
    /// The rule running now, whose list new diagnostics join.
    var rule = Rule.datasource
    /// The diagnostics found so far, one list per rule.
    private var found = [[SchemaDiagnostic]](repeating: [], count: Rule.allCases.count)
    /// Every diagnostic found so far, rule by rule.
    var diagnostics: [SchemaDiagnostic] { found.flatMap { $0 } }
    /// Every type name a field can use and what it means: scalars first, then models and
    /// views, enums, composite types (the order `resolve` gives precedence in). One lookup per
    /// field instead of four, since every rule resolves every field.
    private let types: [String: ResolvedType]

    init(schema: PrismaSchema) {
        self.schema = schema
        let modelBlocks = schema.blocks.filter { $0.kind == .model || $0.kind == .view }
        models = Self.index(modelBlocks)
        hasUniqueModelNames = models.count == modelBlocks.count
        enums = Self.index(schema.enums)
        compositeTypes = Self.index(schema.compositeTypes)
        datasource = schema.datasources.first
        provider = datasource?.property("provider")?.value.stringValue.flatMap(Provider.init(named:))
        nativeTypePrefix = datasource?.name.name
        // `referentialIntegrity` is the deprecated name of `relationMode` (a warning says so).
        emulatesRelations =
            (datasource?.property("relationMode") ?? datasource?.property("referentialIntegrity"))?.value.stringValue
            == "prisma"
        previewFeatures = schema.previewFeatures
        var types = [String: ResolvedType](
            minimumCapacity: compositeTypes.count + enums.count + models.count + ScalarType.allCases.count
        )
        for (name, composite) in compositeTypes { types[name] = .composite(composite) }
        for (name, enumeration) in enums { types[name] = .enum(enumeration) }
        for (name, model) in models { types[name] = .model(model) }
        for scalar in ScalarType.allCases { types[scalar.rawValue] = .scalar(scalar) }
        self.types = types
    }

    private static func index(_ blocks: [Block]) -> [String: Block] {
        Dictionary(blocks.map { ($0.name.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    mutating func error(_ message: String, at range: SourceRange, hint: String? = nil) {
        found[rule.rawValue].append(SchemaDiagnostic(.error, message, at: range, hint: hint))
    }

    mutating func warning(_ message: String, at range: SourceRange, hint: String? = nil) {
        found[rule.rawValue].append(SchemaDiagnostic(.warning, message, at: range, hint: hint))
    }

    /// Prisma's wording for a problem in an attribute's arguments.
    mutating func attributeError(
        _ attribute: Attribute,
        _ message: String,
        at range: SourceRange? = nil,
        hint: String? = nil
    ) {
        error(
            "Error parsing attribute \"\(attribute.displayName)\": \(message)",
            at: range ?? attribute.range,
            hint: hint
        )
    }

    /// What a field's type refers to.
    func resolve(_ type: FieldType) -> ResolvedType? {
        if type.unsupported != nil { return .unsupported }
        // Scalars win over models of the same name (see `types`); most fields are scalars.
        if let scalar = type.scalar { return .scalar(scalar) }
        return types[type.name]
    }

}

/// The validation rules, in the order their diagnostics are reported.
enum Rule: Int, CaseIterable {
    case datasource
    case names
    case types
    case attributes
    case identity
    case indexes
    case defaults
    case nativeTypes
    case relations
    case multiSchema
}

/// The databases Wenwex supports.
enum Provider: String {
    case postgresql
    case sqlite

    /// The provider a datasource names; `postgres` is Prisma's alias of `postgresql`.
    init?(named name: String) {
        self.init(rawValue: name == "postgres" ? "postgresql" : name)
    }
}

/// Prisma's built-in scalar types.
enum ScalarType: String, CaseIterable {
    case string = "String"
    case int = "Int"
    case bigInt = "BigInt"
    case float = "Float"
    case decimal = "Decimal"
    case boolean = "Boolean"
    case dateTime = "DateTime"
    case json = "Json"
    case bytes = "Bytes"
}

/// What a field type names.
enum ResolvedType {
    case scalar(ScalarType)
    case model(Block)
    case `enum`(Block)
    case composite(Block)
    case unsupported
}
