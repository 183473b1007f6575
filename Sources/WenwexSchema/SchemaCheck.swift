/// The result of reading a schema: the syntax tree of every file and every diagnostic.
///
/// Parsing and validation run together so `wenwex schema validate`, the migration engine and a
/// server's start-up all see the same problems in the same order.
public struct SchemaCheck: Sendable {
    public var sources: [SchemaSource]
    public var schema: PrismaSchema
    /// Syntax errors first found in each file, then the validation rules' findings.
    public var diagnostics: [SchemaDiagnostic]

    /// Parses every source and, when all of them parsed, validates the schema as a whole.
    ///
    /// Validation is skipped after syntax errors: a half-parsed schema would only produce
    /// follow-on errors (missing fields, missing relations) that go away once the syntax is fixed.
    public init(sources: [SchemaSource]) {
        self.sources = sources
        var files: [SchemaFile] = []
        var diagnostics: [SchemaDiagnostic] = []
        for source in sources {
            let (file, syntax) = SchemaParser.parse(source)
            files.append(file)
            diagnostics += syntax
        }
        schema = PrismaSchema(files: files)
        if !diagnostics.hasErrors {
            diagnostics += SchemaValidator.validate(schema)
        }
        self.diagnostics = diagnostics
    }

    /// Parses and validates one piece of text, named `path` in diagnostics.
    public init(text: String, path: String = "schema.prisma") {
        self.init(sources: [SchemaSource(path: path, text: text)])
    }

    public var errors: [SchemaDiagnostic] { diagnostics.ordered.filter { $0.severity == .error } }
    public var warnings: [SchemaDiagnostic] { diagnostics.ordered.filter { $0.severity == .warning } }
    public var isValid: Bool { !diagnostics.hasErrors }

    /// Every diagnostic rendered with caret snippets, errors first.
    public var renderedDiagnostics: String {
        DiagnosticRenderer(sources: sources).render(diagnostics)
    }
}
