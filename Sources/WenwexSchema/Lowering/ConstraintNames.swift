public import WenwexSQL

/// The names Prisma gives constraints, indexes and sequences it creates, so a database Prisma
/// migrated and the model Wenwex lowers agree without any `map:` in the schema.
///
/// Prisma follows PostgreSQL's own conventions and always builds names from database names
/// (after `@map`/`@@map`): `{table}_pkey`, `{table}_{columns}_key` for unique indexes,
/// `{table}_{columns}_idx` for other indexes, `{table}_{columns}_fkey` for foreign keys, with
/// column names joined by `_`. When a name would pass the identifier limit (63 bytes on
/// PostgreSQL) the part before the suffix is cut so that the suffix survives.
public enum ConstraintNames {
    public static func primaryKey(table: String, dialect: SQLDialect) -> String {
        truncated(table, suffix: "_pkey", dialect: dialect)
    }

    public static func unique(table: String, columns: [String], dialect: SQLDialect) -> String {
        truncated("\(table)_\(columns.joined(separator: "_"))", suffix: "_key", dialect: dialect)
    }

    public static func index(table: String, columns: [String], dialect: SQLDialect) -> String {
        truncated("\(table)_\(columns.joined(separator: "_"))", suffix: "_idx", dialect: dialect)
    }

    public static func foreignKey(table: String, columns: [String], dialect: SQLDialect) -> String {
        truncated("\(table)_\(columns.joined(separator: "_"))", suffix: "_fkey", dialect: dialect)
    }

    /// The sequence PostgreSQL creates for a `SERIAL` column: `{table}_{column}_seq`, shortened
    /// the way PostgreSQL's `makeObjectName` does (the longer of table and column loses a
    /// character at a time until the whole fits in 63 bytes).
    public static func sequence(table: String, column: String) -> String {
        let available = postgresLimit - "_seq".utf8.count - 1
        var tableBytes = table.utf8.count
        var columnBytes = column.utf8.count
        while tableBytes + columnBytes > available {
            if tableBytes > columnBytes { tableBytes -= 1 } else { columnBytes -= 1 }
        }
        return "\(prefix(table, bytes: tableBytes))_\(prefix(column, bytes: columnBytes))_seq"
    }

    /// A name as the database keeps it: PostgreSQL silently cuts identifiers to 63 bytes, so a
    /// longer `map:` names the index the server actually has.
    public static func databaseName(_ name: String, dialect: SQLDialect) -> String {
        dialect == .postgres ? prefix(name, bytes: postgresLimit) : name
    }

    /// PostgreSQL's `NAMEDATALEN - 1`: longer identifiers are silently cut by the server.
    static let postgresLimit = 63

    /// Prisma gives SQLite a limit so large it never applies.
    private static func limit(_ dialect: SQLDialect) -> Int {
        switch dialect {
        case .postgres: postgresLimit
        case .sqlite: 10_000
        }
    }

    private static func truncated(_ base: String, suffix: String, dialect: SQLDialect) -> String {
        prefix(base, bytes: limit(dialect) - suffix.utf8.count) + suffix
    }

    /// The longest prefix of `text` of at most `bytes` UTF-8 bytes that ends on a character.
    private static func prefix(_ text: String, bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        var result = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            if used + size > bytes { break }
            result.append(character)
            used += size
        }
        return result
    }
}
