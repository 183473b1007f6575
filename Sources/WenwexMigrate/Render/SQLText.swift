import WenwexSQL

/// SQL spelling both dialects share: quoted names, literals, defaults.
enum SQLText {
    static func quote(_ name: String) -> String {
        SQLDialect.postgres.quoteIdentifier(name)
    }

    static func qualified(_ name: String, schema: String?) -> String {
        schema.map { quote($0) + "." + quote(name) } ?? quote(name)
    }

    static func qualified(_ table: TableName) -> String {
        qualified(table.name, schema: table.schema)
    }

    static func columnList(_ names: [String]) -> String {
        names.map(quote).joined(separator: ", ")
    }

    static func string(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func literal(_ value: SQLLiteral) -> String {
        switch value {
        case .string(let text): string(text)
        case .number(let text): text
        case .boolean(let flag): flag ? "true" : "false"
        case .array(let elements): "ARRAY[" + elements.map(literal).joined(separator: ", ") + "]"
        }
    }

    /// `("a" DESC, "b" gin_trgm_ops)`: each column with its operator class and sort order.
    static func indexColumns(_ index: SQLIndex) -> String {
        let columns = index.columns.map { column in
            quote(column.name) + (column.operatorClass.map { " " + $0 } ?? "")
                + (column.sort == .descending ? " DESC" : "")
        }
        return "(" + columns.joined(separator: ", ") + ")"
    }

    /// ` WHERE …` for a partial index, nothing for one over every row.
    static func indexCondition(_ index: SQLIndex) -> String {
        index.predicate.map { " WHERE \($0.text)" } ?? ""
    }

    static func foreignKeyClause(_ key: SQLForeignKey) -> String {
        "FOREIGN KEY (\(columnList(key.columns))) REFERENCES "
            + qualified(key.referencedTable, schema: key.referencedSchema)
            + "(\(columnList(key.referencedColumns))) ON DELETE \(key.onDelete.sql) ON UPDATE \(key.onUpdate.sql)"
    }
}
