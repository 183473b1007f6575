public import WenwexSQL

/// Writes a `schema.prisma` that describes a database: `prisma db pull` for Wenwex.
///
/// It is the inverse of `SchemaLowering`: lowering the pulled schema gives back the database
/// model it was pulled from (after `SQLSchema.databaseView`), so a project can adopt an
/// existing database and then migrate it without a spurious first migration. Names follow
/// Prisma's introspection (models named after tables, `@map`/`@@map` where a database name is
/// not a valid identifier), constraint names are only spelled out (`map:`) when they are not
/// the ones Prisma would choose, foreign keys become relations with both sides, join tables of
/// implicit many-to-many relations become list fields, and a table without any unique
/// criterion is kept with `@@ignore`. The text is formatted like `prisma format`.
public enum SchemaPull {
    /// A pulled schema and what the pull could not express.
    public struct Result: Sendable, Hashable {
        /// The whole schema file, formatted.
        public var text: String
        /// One sentence per thing left out or changed (an index over expressions, a foreign
        /// key between columns of different types, a table marked `@@ignore`).
        public var warnings: [String]
        public var modelCount: Int
        public var enumCount: Int
    }

    /// Why an existing schema file cannot take the pulled models.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The file does not parse; nothing would be kept safely.
        case syntaxErrors([SchemaDiagnostic])
        /// The datasource names another database (`provider = "sqlite"` for a PostgreSQL URL).
        case providerMismatch(schema: String, database: String)

        public var description: String {
            switch self {
            case .syntaxErrors(let diagnostics):
                "the existing schema has \(diagnostics.filter { $0.severity == .error }.count) syntax error(s)"
            case .providerMismatch(let schema, let database):
                "the existing schema's datasource says provider = \"\(schema)\", but the database is \(database)"
            }
        }
    }

    /// A complete schema for `schema`, starting with `header`'s generator and datasource.
    public static func pull(_ schema: SQLSchema, dialect: SQLDialect, header: PullHeader = PullHeader()) -> Result {
        let headerText = header.text(dialect: dialect, schemas: schemaNames(schema))
        return assemble(schema, dialect: dialect, header: headerText, prefix: header.datasourceName, hints: PullHints())
    }

    /// `existing` with its models and enums replaced by those of `schema`: its datasource and
    /// generator blocks (and the comments above them), views and composite types stay as they
    /// are, and the names, client-side defaults (`uuid()`, `@updatedAt`) and documentation it
    /// gave to tables and columns that still exist are kept, as `prisma db pull` does.
    public static func pull(
        _ schema: SQLSchema,
        dialect: SQLDialect,
        into existing: SchemaSource
    ) throws(Failure) -> Result {
        let (file, diagnostics) = SchemaParser.parse(existing)
        guard !diagnostics.hasErrors else { throw .syntaxErrors(diagnostics) }
        let kept = KeptHeader(file)
        let provider = kept.datasource?.property("provider")?.value.stringValue
        let expected = PullHeader.provider(for: dialect)
        if let provider, provider != expected {
            throw .providerMismatch(schema: provider, database: expected)
        }
        var header = kept.text
        if kept.datasource == nil {
            header +=
                (header.isEmpty ? "" : "\n") + PullHeader().datasource(dialect: dialect, schemas: schemaNames(schema))
        }
        let prefix = kept.datasource?.name.name ?? PullHeader().datasourceName
        let existingSchema = PrismaSchema(files: [file])
        if dialect == .postgres, PullExtensions.enabled(in: existingSchema) {
            header = PullExtensions.written(schema.extensions, into: header, datasource: prefix)
        }
        var result = assemble(
            schema,
            dialect: dialect,
            header: header,
            prefix: prefix,
            hints: PullHints(existing: existingSchema, dialect: dialect)
        )
        if kept.datasource?.property("relationMode")?.value.stringValue == "prisma" {
            result.warnings.append(
                "The datasource uses relationMode = \"prisma\": the database has no foreign keys, so no relations were found; add them back by hand."
            )
        }
        return result
    }

    /// The text of `pull(_:dialect:header:)`.
    public static func render(_ schema: SQLSchema, dialect: SQLDialect, header: PullHeader = PullHeader()) -> String {
        pull(schema, dialect: dialect, header: header).text
    }

    /// The text of `pull(_:dialect:into:)`.
    public static func render(
        _ schema: SQLSchema,
        dialect: SQLDialect,
        keeping existing: SchemaSource
    ) throws(Failure) -> String {
        try pull(schema, dialect: dialect, into: existing).text
    }

    private static func assemble(
        _ schema: SQLSchema,
        dialect: SQLDialect,
        header: String,
        prefix: String,
        hints: PullHints
    ) -> Result {
        var builder = PullBuilder(schema: schema, dialect: dialect, nativePrefix: prefix, hints: hints)
        builder.build()
        let models = builder.models.enumerated().sorted { lhs, rhs in
            order(lhs.element.key, lhs.offset, hints.modelOrder) < order(rhs.element.key, rhs.offset, hints.modelOrder)
        }
        .map(\.element)
        let enums = builder.enums.enumerated().sorted { lhs, rhs in
            let left = TableKey(schema: lhs.element.source.schema, name: lhs.element.source.name)
            let right = TableKey(schema: rhs.element.source.schema, name: rhs.element.source.name)
            return order(left, lhs.offset, hints.enumOrder) < order(right, rhs.offset, hints.enumOrder)
        }
        .map(\.element)
        let body = PullPrinter.text(models: models, enums: enums)
        let raw = header.isEmpty ? body : header + "\n" + body
        let text = (try? SchemaFormatter.format(SchemaSource(path: "schema.prisma", text: raw))) ?? raw
        // Partial and expression indexes, triggers, functions, views, policies: the migration
        // history keeps them, the schema cannot say them.
        let kept = schema.kept.map { object in
            "The \(object) is kept: schema.prisma cannot express it, so it was left out (migrations keep it)."
        }
        return Result(text: text, warnings: builder.warnings + kept, modelCount: models.count, enumCount: enums.count)
    }

    /// Where a model or enum goes: in the existing file's order, then new ones in database order.
    private static func order(_ key: TableKey, _ offset: Int, _ existing: [TableKey: Int]) -> (Int, Int) {
        existing[key].map { (0, $0) } ?? (1, offset)
    }

    /// The PostgreSQL schemas a multi-schema model spans, for the datasource's `schemas`.
    private static func schemaNames(_ schema: SQLSchema) -> [String] {
        Set(schema.tables.compactMap(\.schema) + schema.enums.compactMap(\.schema)).sorted()
    }
}
