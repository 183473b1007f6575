/// Reads a live database into the SQL schema model, so it can be compared with a lowered
/// `schema.prisma` (`SQLSchema.databaseView`) or diffed into a migration.
///
/// Types, defaults and names come back in the spelling the lowering writes (`TIMESTAMP(3)`,
/// `.literal(.string("BUYER"))`, `users_email_key`), so a database created from a model
/// introspects `==` to it. Wenwex's and Prisma's bookkeeping tables are never included.
public protocol SchemaIntrospector: Sendable {
    /// Introspects the tables (and, on PostgreSQL, enum types) of `schemas`.
    ///
    /// On PostgreSQL an empty list means the session's `current_schema()`. With one schema the
    /// model's `schema` fields stay `nil` (as the lowering writes a schema without `schemas = […]`);
    /// with several each table, enum and foreign key names its schema. SQLite ignores `schemas`.
    func introspect(_ session: any SQLSession, schemas: [String]) async throws -> SQLSchema
}

extension SchemaIntrospector {
    /// Introspects the session's default schema.
    public func introspect(_ session: any SQLSession) async throws -> SQLSchema {
        try await introspect(session, schemas: [])
    }
}

/// The introspector for a dialect.
public enum SchemaIntrospection {
    /// The introspector that reads `dialect`'s catalogs.
    public static func introspector(for dialect: SQLDialect) -> any SchemaIntrospector {
        switch dialect {
        case .postgres: PostgresIntrospector()
        case .sqlite: SQLiteIntrospector()
        }
    }

    /// Tables Wenwex and Prisma keep for themselves: never part of an application's schema.
    /// (`_wenwex_audit` is the access audit log, made by `wenwex access apply`.)
    public static let bookkeepingTables: Set<String> = [
        "_wenwex_identity", "_wenwex_migrations", "_prisma_migrations", "_wenwex_servers", "_wenwex_backfills",
        "_wenwex_audit",
    ]
}

/// A catalog answer the introspector could not make sense of.
public struct IntrospectionError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in one sentence (such as a session of the wrong dialect).
    public var description: String

    /// Creates an error with its message.
    public init(_ description: String) {
        self.description = description
    }
}

extension SQLColumnType.Family {
    /// Whether a default on a column of this family is a number.
    var isNumeric: Bool {
        switch self {
        case .int, .bigInt, .float, .decimal: true
        default: false
        }
    }
}

enum DefaultText {
    /// `text` as a number literal (`0`, `-1`, `12.50`, `1e3`), or `nil`.
    static func number(_ text: String) -> String? {
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        guard !body.isEmpty, body.first!.isNumber || body.first == "." else { return nil }
        return Double(text) != nil ? text : nil
    }

    /// The content of a single-quoted SQL string (`'it''s'` → `it's`), or `nil` when `text` is
    /// not exactly one such string.
    static func quoted(_ text: String) -> String? {
        guard text.count >= 2, text.first == "'", text.last == "'" else { return nil }
        var result = ""
        var iterator = text.dropFirst().dropLast().makeIterator()
        while let character = iterator.next() {
            if character == "'" {
                guard iterator.next() == "'" else { return nil }
            }
            result.append(character)
        }
        return result
    }
}
