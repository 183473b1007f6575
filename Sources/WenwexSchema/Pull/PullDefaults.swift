import Foundation
import WenwexSQL

/// Column defaults as `@default(…)`: the inverse of `DefaultLowering`.
///
/// A sequence (PostgreSQL `SERIAL`, identity columns, SQLite's `AUTOINCREMENT`) is
/// `autoincrement()`, `CURRENT_TIMESTAMP` on a DateTime is `now()`, constants of the field's type
/// are literals (enum values by their Prisma name), and everything else is kept verbatim in
/// `dbgenerated("…")` so the database keeps doing what it did.
enum PullDefaults {
    /// The attribute for `column`'s default, or `nil` when it has none.
    static func attribute(
        for column: SQLColumn,
        type: PulledType,
        enumValue: (String) -> String?
    ) -> String? {
        let numbers = type.scalar == .int || type.scalar == .bigInt
        if column.isAutoIncrement, numbers, !type.isList {
            return "@default(autoincrement())"
        }
        guard let value = column.default else { return nil }
        if type.unsupported != nil {
            return dbGenerated(sql(value))
        }
        switch value {
        case .sequence:
            return numbers && !type.isList ? "@default(autoincrement())" : dbGenerated(sql(value))
        case .currentTimestamp:
            return type.scalar == .dateTime && !type.isList ? "@default(now())" : dbGenerated(sql(value))
        case .expression(let text):
            return text.isEmpty ? "@default(dbgenerated())" : dbGenerated(text)
        case .applicationGenerated(let text):
            return text == "@updatedAt" ? "@updatedAt" : "@default(\(text))"
        case .literal(let literal):
            if type.isList {
                guard case .array(let elements) = literal else { return dbGenerated(sql(value)) }
                let written = elements.map { Self.literal($0, type: type, enumValue: enumValue) }
                guard written.allSatisfy({ $0 != nil }) else { return dbGenerated(sql(value)) }
                return "@default(\(PullText.list(written.compactMap { $0 })))"
            }
            return Self.literal(literal, type: type, enumValue: enumValue).map { "@default(\($0))" }
                ?? dbGenerated(sql(value))
        }
    }

    /// One constant as a literal of the field's type, or `nil` when it is not one.
    private static func literal(
        _ literal: SQLLiteral,
        type: PulledType,
        enumValue: (String) -> String?
    ) -> String? {
        guard let scalar = type.scalar else {
            if case .string(let value) = literal { return enumValue(value) }
            return nil
        }
        switch (scalar, literal) {
        case (.string, .string(let text)), (.dateTime, .string(let text)), (.json, .string(let text)),
            (.bytes, .string(let text)), (.decimal, .string(let text)), (.string, .number(let text)):
            return PullText.quoted(text)
        case (.int, .number(let text)), (.bigInt, .number(let text)):
            return Int64(text) != nil ? text : nil
        case (.float, .number(let text)), (.decimal, .number(let text)):
            return Double(text) != nil ? text : nil
        case (.boolean, .boolean(let flag)):
            return flag ? "true" : "false"
        case (.boolean, .number(let text)) where text == "1" || text == "0":
            // SQLite has no booleans: `DEFAULT 1` is how its tables write `true`.
            return text == "1" ? "true" : "false"
        default:
            return nil
        }
    }

    private static func dbGenerated(_ expression: String) -> String {
        "@default(dbgenerated(\(PullText.quoted(expression))))"
    }

    /// The SQL text of a default, for `dbgenerated`.
    private static func sql(_ value: SQLDefault) -> String {
        switch value {
        case .literal(let literal): sql(literal)
        case .currentTimestamp: "CURRENT_TIMESTAMP"
        case .sequence(let name):
            "nextval(\(sql(.string(SQLDialect.postgres.quoteIdentifier(name))))::regclass)"
        case .expression(let text), .applicationGenerated(let text): text
        }
    }

    private static func sql(_ literal: SQLLiteral) -> String {
        switch literal {
        case .string(let text): "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        case .number(let text): text
        case .boolean(let flag): flag ? "true" : "false"
        case .array(let elements): "ARRAY[" + elements.map(sql).joined(separator: ", ") + "]"
        }
    }
}
