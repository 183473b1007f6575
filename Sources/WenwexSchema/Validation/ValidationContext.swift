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
    private(set) var diagnostics: [SchemaDiagnostic] = []

    init(schema: PrismaSchema) {
        self.schema = schema
        models = Self.index(schema.blocks.filter { $0.kind == .model || $0.kind == .view })
        enums = Self.index(schema.enums)
        compositeTypes = Self.index(schema.compositeTypes)
        datasource = schema.datasources.first
        provider = datasource?.property("provider")?.value.stringValue.flatMap(Provider.init(rawValue:))
    }

    private static func index(_ blocks: [Block]) -> [String: Block] {
        Dictionary(blocks.map { ($0.name.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    mutating func error(_ message: String, at range: SourceRange, hint: String? = nil) {
        diagnostics.append(SchemaDiagnostic(.error, message, at: range, hint: hint))
    }

    mutating func warning(_ message: String, at range: SourceRange, hint: String? = nil) {
        diagnostics.append(SchemaDiagnostic(.warning, message, at: range, hint: hint))
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

    /// The datasource's name, the prefix of native type attributes (`db` in `@db.VarChar`).
    var nativeTypePrefix: String? { datasource?.name.name }

    /// What a field's type refers to.
    func resolve(_ type: FieldType) -> ResolvedType? {
        if type.unsupported != nil { return .unsupported }
        if let scalar = ScalarType(rawValue: type.name) { return .scalar(scalar) }
        if let model = models[type.name] { return .model(model) }
        if let enumeration = enums[type.name] { return .enum(enumeration) }
        if let composite = compositeTypes[type.name] { return .composite(composite) }
        return nil
    }

    /// The models, views and composite types: the blocks that have fields.
    var fieldBlocks: [Block] {
        schema.blocks.filter { $0.kind == .model || $0.kind == .view || $0.kind == .type }
    }
}

/// The databases Wenwex supports.
enum Provider: String {
    case postgresql
    case sqlite
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
