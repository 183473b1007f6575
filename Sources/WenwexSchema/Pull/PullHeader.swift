import WenwexSQL

/// The `generator` and `datasource` blocks a pulled schema starts with when there is no schema
/// file yet, the way `prisma init` writes them.
public struct PullHeader: Sendable, Hashable {
    /// The datasource block's name, which is also the prefix of native types (`@db.VarChar`).
    public var datasourceName: String
    /// The environment variable holding the database URL (`url = env("DATABASE_URL")`).
    public var urlVariable: String
    /// The `generator client` block's provider.
    public var generatorProvider: String

    public init(
        datasourceName: String = "db",
        urlVariable: String = "DATABASE_URL",
        generatorProvider: String = "prisma-client-js"
    ) {
        self.datasourceName = datasourceName
        self.urlVariable = urlVariable
        self.generatorProvider = generatorProvider
    }

    /// The blocks for a database of `dialect`; `schemas` lists the PostgreSQL schemas when the
    /// pulled model spans several.
    func text(dialect: SQLDialect, schemas: [String]) -> String {
        generator + "\n" + datasource(dialect: dialect, schemas: schemas)
    }

    var generator: String {
        "generator client {\n  provider = \(PullText.quoted(generatorProvider))\n}\n"
    }

    func datasource(dialect: SQLDialect, schemas: [String]) -> String {
        var lines = [
            "datasource \(datasourceName) {",
            "  provider = \(PullText.quoted(Self.provider(for: dialect)))",
            "  url = env(\(PullText.quoted(urlVariable)))",
        ]
        if !schemas.isEmpty {
            lines.append("  schemas = \(PullText.list(schemas.map(PullText.quoted)))")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The datasource `provider` of a dialect.
    static func provider(for dialect: SQLDialect) -> String {
        switch dialect {
        case .postgres: "postgresql"
        case .sqlite: "sqlite"
        }
    }
}

/// The parts of an existing schema file that a pull keeps: its `datasource` and `generator`
/// blocks with the comments written before them, and the views and composite types the
/// database model does not describe. Models and enums (and their comments) are replaced.
struct KeptHeader {
    var items: [SchemaFile.Item] = []
    var datasource: Block?

    init(_ file: SchemaFile) {
        var pending: [SchemaFile.Item] = []
        for item in file.items {
            switch item {
            case .comment, .blankLine:
                pending.append(item)
            case .block(let block):
                switch block.kind {
                case .datasource, .generator, .view, .type:
                    items += pending + [item]
                    if block.kind == .datasource, datasource == nil { datasource = block }
                case .model, .enum:
                    break
                }
                pending = []
            }
        }
    }

    var text: String {
        SchemaFormatter.format(SchemaFile(path: "schema.prisma", items: items))
    }
}
