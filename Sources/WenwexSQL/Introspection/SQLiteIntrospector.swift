import Foundation

/// Reads a SQLite database from `sqlite_master` and its pragmas (`table_xinfo`, `index_list`,
/// `index_xinfo`, `foreign_key_list`).
///
/// SQLite keeps declared types as written, so they come back in the lowering's spelling when
/// the database was created from the model (`TEXT`, `INTEGER`, `DATETIME`, `DECIMAL`); the
/// family follows Prisma's SQLite types. SQLite keeps no primary key names (`name` is `nil`, as
/// the lowering writes it), and its pragmas do not name foreign keys: names come from
/// `CONSTRAINT "…" FOREIGN KEY (…)` in the table's `CREATE TABLE` text, as Prisma writes them;
/// an unnamed foreign key gets Prisma's conventional `{table}_{columns}_fkey`. A column is
/// autoincrement when it is the table's `INTEGER PRIMARY KEY` and the table says `AUTOINCREMENT`.
public struct SQLiteIntrospector: SchemaIntrospector {
    /// Creates an introspector; it keeps no state.
    public init() {}

    /// Reads every table except SQLite's own and the bookkeeping tables, and the objects
    /// `schema.prisma` cannot express (partial and expression indexes, triggers, views) as kept
    /// objects, with the `CREATE` text SQLite stored for them. `schemas` is ignored; enums and
    /// extensions are always empty. Throws ``IntrospectionError`` for a session that is not SQLite.
    public func introspect(_ session: any SQLSession, schemas: [String]) async throws -> SQLSchema {
        guard session.dialect == .sqlite else {
            throw IntrospectionError("SQLiteIntrospector needs a SQLite session, not \(session.dialect.rawValue)")
        }
        let masters = try await session.query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
        var tables: [SQLTable] = []
        var kept: [SQLKeptObject] = []
        for master in masters {
            guard let name = master["name"].text, !SchemaIntrospection.bookkeepingTables.contains(name) else {
                continue
            }
            let (table, keptIndexes) = try await table(name, sql: master["sql"].text ?? "", session)
            tables.append(table)
            kept += keptIndexes
        }
        let others = try await session.query(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY type, name"
        )
        for object in others {
            guard let name = object["name"].text, let table = object["tbl_name"].text,
                !SchemaIntrospection.bookkeepingTables.contains(table)
            else { continue }
            let isTrigger = object["type"].text == "trigger"
            kept.append(
                SQLKeptObject(
                    kind: isTrigger ? .trigger : .view,
                    name: name,
                    table: isTrigger ? table : nil,
                    definition: object["sql"].text ?? ""
                )
            )
        }
        return SQLSchema(tables: tables, kept: kept.sorted())
    }

    /// The table, and its indexes `schema.prisma` cannot express (partial, or over an expression).
    private func table(_ name: String, sql: String, _ session: any SQLSession) async throws -> (
        SQLTable, [SQLKeptObject]
    ) {
        let columnRows = try await session.query(
            "SELECT cid, name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo($1) ORDER BY cid",
            [.text(name)]
        ).filter { ($0["hidden"].integer ?? 0) != 1 }
        let keyRows = columnRows.filter { ($0["pk"].integer ?? 0) > 0 }.sorted { $0["pk"].integer! < $1["pk"].integer! }
        let keyColumns = keyRows.compactMap { $0["name"].text }
        let autoIncrementColumn: String? =
            keyRows.count == 1 && keyRows[0]["type"].text?.uppercased() == "INTEGER"
                && Self.words(sql).contains("AUTOINCREMENT") ? keyColumns.first : nil

        let columns = columnRows.map { row in
            let type = Self.columnType(row["type"].text ?? "")
            let name = row["name"].text ?? ""
            return SQLColumn(
                name: name,
                type: type,
                isNullable: (row["notnull"].integer ?? 0) == 0,
                default: row["dflt_value"].text.map { Self.defaultValue($0, family: type.family) },
                isAutoIncrement: name == autoIncrementColumn
            )
        }

        var uniques: [SQLUnique] = []
        var indexes: [SQLIndex] = []
        var kept: [SQLKeptObject] = []
        for index in try await session.query(
            "SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)",
            [.text(name)]
        ) {
            guard let indexName = index["name"].text, index["origin"].text != "pk" else { continue }
            let keys = try await session.query(
                "SELECT seqno, name, \"desc\" FROM pragma_index_xinfo($1) WHERE key = 1 ORDER BY seqno",
                [.text(indexName)]
            )
            // A partial index or one over an expression (its key has no column name): kept as
            // the migration that made it wrote it.
            if (index["partial"].integer ?? 0) == 1 || keys.contains(where: { $0["name"].text == nil }) {
                let definition = try await session.query(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1",
                    [.text(indexName)]
                ).first?["sql"].text
                kept.append(SQLKeptObject(kind: .index, name: indexName, table: name, definition: definition ?? ""))
                continue
            }
            let indexColumns = keys.map {
                SQLIndex.Column($0["name"].text ?? "", sort: ($0["desc"].integer ?? 0) == 1 ? .descending : .ascending)
            }
            let isUnique = (index["unique"].integer ?? 0) == 1
            let plain = keys.allSatisfy { $0["name"].text != nil && ($0["desc"].integer ?? 0) == 0 }
            if isUnique && plain && (index["partial"].integer ?? 0) == 0 {
                // An inline `UNIQUE` constraint's index is `sqlite_autoindex_<table>_<n>`: SQLite
                // reserves the name, and the index can be neither dropped nor renamed, only
                // replaced by redefining the table. It is reported under Prisma's name for the
                // same unique (`{table}_{columns}_key`), so a schema's `@unique` is no drift and
                // no plan tries `DROP INDEX "sqlite_autoindex_…"`.
                let columnNames = indexColumns.map(\.name)
                let isAutomatic = indexName.hasPrefix("sqlite_autoindex_") && index["origin"].text == "u"
                let uniqueName = isAutomatic ? "\(name)_\(columnNames.joined(separator: "_"))_key" : indexName
                uniques.append(SQLUnique(name: uniqueName, columns: columnNames))
            } else {
                indexes.append(SQLIndex(name: indexName, columns: indexColumns, isUnique: isUnique))
            }
        }

        let names = Self.foreignKeyNames(sql)
        var foreignKeys: [SQLForeignKey] = []
        let foreignKeyRows = try await session.query(
            "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list($1) ORDER BY id, seq",
            [.text(name)]
        )
        for id in Set(foreignKeyRows.compactMap { $0["id"].integer }).sorted() {
            let rows = foreignKeyRows.filter { $0["id"].integer == id }
            let from = rows.map { $0["from"].text ?? "" }
            let referencedTable = rows[0]["table"].text ?? ""
            var to = rows.compactMap { $0["to"].text }
            if to.count != rows.count {
                // `REFERENCES t` without columns means t's primary key.
                to = try await session.query(
                    "SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk",
                    [.text(referencedTable)]
                )
                .compactMap { $0["name"].text }
            }
            foreignKeys.append(
                SQLForeignKey(
                    name: names[from] ?? "\(name)_\(from.joined(separator: "_"))_fkey",
                    columns: from,
                    referencedTable: referencedTable,
                    referencedColumns: to,
                    onDelete: Self.action(rows[0]["on_delete"].text),
                    onUpdate: Self.action(rows[0]["on_update"].text)
                )
            )
        }
        let table = SQLTable(
            name: name,
            columns: columns,
            primaryKey: keyColumns.isEmpty ? nil : SQLPrimaryKey(name: nil, columns: keyColumns),
            uniques: uniques,
            indexes: indexes,
            foreignKeys: foreignKeys
        )
        return (table, kept)
    }

    /// The family of a declared type, by Prisma's SQLite types (then SQLite's affinity rules).
    static func columnType(_ declared: String) -> SQLColumnType {
        let upper = declared.uppercased()
        let base = upper.split(separator: "(").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let family: SQLColumnType.Family =
            switch base {
            case "TEXT", "VARCHAR", "CHAR", "CLOB": .string
            case "INTEGER", "INT", "SMALLINT", "TINYINT", "MEDIUMINT": .int
            case "BIGINT": .bigInt
            case "REAL", "DOUBLE", "DOUBLE PRECISION", "FLOAT": .float
            case "DECIMAL", "NUMERIC": .decimal
            case "BOOLEAN": .boolean
            case "DATETIME", "DATE", "TIMESTAMP": .dateTime
            case "JSONB", "JSON": .json
            case "BLOB": .bytes
            default: .unsupported
            }
        return SQLColumnType(declared, family: family)
    }

    /// A `dflt_value` (the default's SQL text as written) in the model's neutral form.
    static func defaultValue(_ text: String, family: SQLColumnType.Family) -> SQLDefault {
        var value = text.trimmingCharacters(in: .whitespaces)
        if value.uppercased() == "CURRENT_TIMESTAMP" { return .currentTimestamp }
        while value.hasPrefix("("), value.hasSuffix(")") { value = String(value.dropFirst().dropLast()) }
        switch value.lowercased() {
        case "true": return .literal(.boolean(true))
        case "false": return .literal(.boolean(false))
        default: break
        }
        if let number = DefaultText.number(value) { return .literal(.number(number)) }
        if let content = DefaultText.quoted(value) {
            if family.isNumeric, let number = DefaultText.number(content) { return .literal(.number(number)) }
            return .literal(.string(content))
        }
        return .expression(text)
    }

    private static func action(_ text: String?) -> SQLReferentialAction {
        switch text?.uppercased() {
        case "CASCADE": .cascade
        case "RESTRICT": .restrict
        case "SET NULL": .setNull
        case "SET DEFAULT": .setDefault
        default: .noAction
        }
    }

    // MARK: - CREATE TABLE text

    /// `CONSTRAINT "name" FOREIGN KEY ("a", "b")` clauses: the referencing columns → the name.
    static func foreignKeyNames(_ sql: String) -> [[String]: String] {
        let tokens = tokens(sql)
        var names: [[String]: String] = [:]
        var index = 0
        while index + 4 < tokens.count {
            if tokens[index].uppercased() == "CONSTRAINT", tokens[index + 2].uppercased() == "FOREIGN",
                tokens[index + 3].uppercased() == "KEY", tokens[index + 4] == "("
            {
                var columns: [String] = []
                var cursor = index + 5
                while cursor < tokens.count, tokens[cursor] != ")" {
                    if tokens[cursor] != "," { columns.append(identifier(tokens[cursor])) }
                    cursor += 1
                }
                names[columns] = identifier(tokens[index + 1])
                index = cursor
            }
            index += 1
        }
        return names
    }

    /// The upper-cased bare words of `sql`, outside quotes.
    private static func words(_ sql: String) -> Set<String> {
        Set(tokens(sql).filter { $0.first?.isLetter == true }.map { $0.uppercased() })
    }

    /// Identifiers (quoted as written), words, strings and single punctuation characters.
    static func tokens(_ sql: String) -> [String] {
        var tokens: [String] = []
        let characters = Array(sql)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
            } else if let close = Self.closing[character] {
                var token = String(character)
                index += 1
                while index < characters.count {
                    token.append(characters[index])
                    if characters[index] == close {
                        if close != "]", index + 1 < characters.count, characters[index + 1] == close {
                            token.append(close)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    index += 1
                }
                tokens.append(token)
            } else if character.isLetter || character.isNumber || character == "_" {
                var token = ""
                while index < characters.count,
                    characters[index].isLetter || characters[index].isNumber || characters[index] == "_"
                {
                    token.append(characters[index])
                    index += 1
                }
                tokens.append(token)
            } else {
                tokens.append(String(character))
                index += 1
            }
        }
        return tokens
    }

    private static let closing: [Character: Character] = ["\"": "\"", "`": "`", "[": "]", "'": "'"]

    /// An identifier token without its quotes.
    private static func identifier(_ token: String) -> String {
        guard let first = token.first, let close = closing[first], first != "'", token.count >= 2 else { return token }
        let body = String(token.dropFirst().dropLast())
        return close == "]"
            ? body : body.replacingOccurrences(of: String(repeating: close, count: 2), with: String(close))
    }
}
