public import WenwexSQL

/// Turns schema changes into one dialect's SQL.
///
/// One renderer per SQL flavour, as DESIGN.md asks: everything PostgreSQL-specific is in
/// `PostgresMigrationRenderer`, everything SQLite-specific in `SQLiteMigrationRenderer`.
/// Renderers see both whole schemas because some changes need context: SQLite rebuilds a table
/// from its new definition, and PostgreSQL converts every column of an enum it re-creates.
public protocol MigrationRenderer: Sendable {
    func render(_ changes: [SchemaChange], from old: SQLSchema, to new: SQLSchema) -> MigrationScript
}

extension SQLDialect {
    /// This dialect's renderer, in Prisma's plain form.
    public var migrationRenderer: any MigrationRenderer { migrationRenderer(form: .plain) }

    /// This dialect's renderer. SQLite has one writer and no concurrent DDL, so `form` only
    /// changes what PostgreSQL gets.
    public func migrationRenderer(form: DDLForm) -> any MigrationRenderer {
        switch self {
        case .postgres: PostgresMigrationRenderer(form: form)
        case .sqlite: SQLiteMigrationRenderer()
        }
    }
}

/// The whole pipeline from two models to a script: diff, then render.
public enum MigrationPlanner {
    public static func script(
        from old: SQLSchema,
        to new: SQLSchema,
        dialect: SQLDialect,
        form: DDLForm = .plain
    ) -> MigrationScript {
        let changes = SchemaDiffer.changes(from: old, to: new)
        return dialect.migrationRenderer(form: form).render(changes, from: old, to: new)
    }
}
