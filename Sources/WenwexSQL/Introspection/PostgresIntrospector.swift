import Foundation

/// Reads a PostgreSQL database from its system catalogs (`pg_class`, `pg_attribute`,
/// `pg_attrdef`, `pg_constraint`, `pg_index`, `pg_type`/`pg_enum`, `pg_depend`).
///
/// - Types: `format_type()` spellings are normalised to the ones the lowering writes
///   (`timestamp(3) without time zone` → `TIMESTAMP(3)`, `character varying(255)` →
///   `VARCHAR(255)`, `numeric(65,30)` → `DECIMAL(65,30)`, `integer` → `INTEGER`); enum columns
///   are their type's name, arrays end in `[]`. Types without a Prisma scalar keep
///   `format_type()`'s text with family `.unsupported`.
/// - Defaults: `pg_get_expr` text with casts stripped (`'BUYER'::"Role"` → `"BUYER"`),
///   `CURRENT_TIMESTAMP`/`now()` as `.currentTimestamp`, `nextval(…)` as `.sequence` with the
///   column's owned sequence (then the column is autoincrement), anything else verbatim.
/// - Unique indexes over plain ascending columns are `SQLUnique`s (Prisma creates `@unique` as
///   unique indexes); other indexes keep sort order (`indoption`) and access method.
public struct PostgresIntrospector: SchemaIntrospector {
    /// Creates an introspector; it keeps no state.
    public init() {}

    /// Reads the tables, enum types, installed extensions and kept objects of `schemas` (see
    /// ``SchemaIntrospector/introspect(_:schemas:)``). Throws ``IntrospectionError`` for a session that
    /// is not PostgreSQL.
    public func introspect(_ session: any SQLSession, schemas: [String]) async throws -> SQLSchema {
        guard session.dialect == .postgres else {
            throw IntrospectionError("PostgresIntrospector needs a PostgreSQL session, not \(session.dialect.rawValue)")
        }
        var names = schemas
        if names.isEmpty {
            names = try await session.query("SELECT current_schema()::text").compactMap { $0[0].text }
        }
        let keepSchema = names.count > 1
        let inSchemas = "ARRAY[" + names.map(Self.literal).joined(separator: ", ") + "]::text[]"
        let excluded = SchemaIntrospection.bookkeepingTables.sorted().map(Self.literal).joined(separator: ", ")

        var tables: [TableKey: SQLTable] = [:]
        var order: [TableKey] = []
        for row in try await session.query(Self.columnsQuery(inSchemas, excluded: excluded), []) {
            let key = TableKey(schema: row["nspname"].text ?? "", name: row["relname"].text ?? "")
            if tables[key] == nil {
                tables[key] = SQLTable(name: key.name, schema: keepSchema ? key.schema : nil)
                order.append(key)
            }
            tables[key]!.columns.append(Self.column(row))
        }

        for (key, rows) in try await grouped(session, Self.primaryKeysQuery(inSchemas)) where tables[key] != nil {
            tables[key]!.primaryKey = SQLPrimaryKey(
                name: rows[0]["conname"].text,
                columns: rows.map { $0["attname"].text ?? "" }
            )
        }

        var foreignKeys: [TableKey: [SQLForeignKey]] = [:]
        var indexes: [TableKey: [SQLIndex]] = [:]
        var uniques: [TableKey: [SQLUnique]] = [:]
        for (key, rows) in try await grouped(session, Self.foreignKeysQuery(inSchemas), by: "conname")
        where tables[key] != nil {
            let first = rows[0]
            foreignKeys[key, default: []].append(
                SQLForeignKey(
                    name: first["conname"].text ?? "",
                    columns: rows.map { $0["attname"].text ?? "" },
                    referencedTable: first["refname"].text ?? "",
                    referencedSchema: keepSchema ? first["refschema"].text : nil,
                    referencedColumns: rows.map { $0["refattname"].text ?? "" },
                    onDelete: Self.action(first["confdeltype"].text),
                    onUpdate: Self.action(first["confupdtype"].text)
                )
            )
        }
        var kept: [SQLKeptObject] = []
        for (key, rows) in try await grouped(session, Self.indexesQuery(inSchemas), by: "indexname")
        where tables[key] != nil {
            let first = rows[0]
            let name = first["indexname"].text ?? ""
            let isUnique = first["indisunique"].text == "true"
            let method = first["amname"].text.flatMap { $0 == "btree" ? nil : $0 }
            let predicate = first["predicate"].text.map(SQLIndexPredicate.init)
            let overExpression = rows.contains { $0["attname"].text == nil }
            let columns = rows.map { row in
                SQLIndex.Column(
                    row["attname"].text ?? "",
                    sort: (row["opt"].integer ?? 0) & 1 == 1 ? .descending : .ascending,
                    operatorClass: row["opclass"].text
                )
            }
            // A partial index or one over an expression: kept as the migration that made it
            // wrote it, unless a schema's `where:` claims a partial one (`partialIndex`).
            if predicate != nil || overExpression {
                kept.append(
                    SQLKeptObject(
                        kind: .index,
                        name: name,
                        table: key.name,
                        schema: keepSchema ? key.schema : nil,
                        definition: first["indexdef"].text ?? "",
                        partialIndex: overExpression
                            ? nil
                            : SQLIndex(
                                name: name,
                                columns: columns,
                                isUnique: isUnique,
                                method: method,
                                predicate: predicate
                            )
                    )
                )
                continue
            }
            let plain = columns.allSatisfy { $0.sort == .ascending && $0.operatorClass == nil }
            if isUnique && method == nil && plain {
                uniques[key, default: []].append(SQLUnique(name: name, columns: columns.map(\.name)))
            } else {
                indexes[key, default: []].append(
                    SQLIndex(name: name, columns: columns, isUnique: isUnique, method: method)
                )
            }
        }
        for key in order {
            tables[key]!.foreignKeys = foreignKeys[key] ?? []
            tables[key]!.indexes = indexes[key] ?? []
            tables[key]!.uniques = uniques[key] ?? []
        }

        var enums: [SQLEnum] = []
        for row in try await session.query(Self.enumsQuery(inSchemas), []) {
            let schema = keepSchema ? row["nspname"].text : nil
            let name = row["typname"].text ?? ""
            let value = row["enumlabel"].text ?? ""
            if let last = enums.indices.last, enums[last].name == name, enums[last].schema == schema {
                enums[last].values.append(value)
            } else {
                enums.append(SQLEnum(name: name, schema: schema, values: [value]))
            }
        }
        let extensions = try await session.query(Self.extensionsQuery, []).compactMap { row -> SQLExtension? in
            guard let name = row["extname"].text else { return nil }
            let schema = row["nspname"].text
            return SQLExtension(
                name,
                schema: schema == row["current"].text ? nil : schema,
                version: row["extversion"].text
            )
        }
        kept += try await keptObjects(session, inSchemas, keepSchema: keepSchema)
        return SQLSchema(tables: order.compactMap { tables[$0] }, enums: enums, extensions: extensions, kept: kept)
    }

    private struct TableKey: Hashable {
        var schema: String
        var name: String
    }

    /// Rows grouped by table and then by `field` (a constraint or index), keeping row order.
    private func grouped(
        _ session: any SQLSession,
        _ sql: String,
        by field: String = "conname"
    ) async throws -> [(TableKey, [SQLRow])] {
        var groups: [(TableKey, String, [SQLRow])] = []
        for row in try await session.query(sql, []) {
            let key = TableKey(schema: row["nspname"].text ?? "", name: row["relname"].text ?? "")
            let name = row[field].text ?? ""
            if let last = groups.indices.last, groups[last].0 == key, groups[last].1 == name {
                groups[last].2.append(row)
            } else {
                groups.append((key, name, [row]))
            }
        }
        return groups.map { ($0.0, $0.2) }
    }

    // MARK: - Columns

    private static func column(_ row: SQLRow) -> SQLColumn {
        let type = columnType(row)
        let sequence = row["seq"].text
        let isIdentity = !(row["attidentity"].text ?? "").isEmpty
        var value = row["dflt"].text.flatMap { defaultValue($0, family: type.family) }
        var isAutoIncrement = isIdentity
        if case .sequence(let name) = value {
            if let sequence {
                value = .sequence(sequence)
                isAutoIncrement = true
            } else {
                value = .sequence(name)
            }
        }
        return SQLColumn(
            name: row["attname"].text ?? "",
            type: type,
            isNullable: row["attnotnull"].text != "true",
            default: value,
            isAutoIncrement: isAutoIncrement
        )
    }

    /// The lowering's spelling of a column's type.
    static func columnType(_ row: SQLRow) -> SQLColumnType {
        if row["typtype"].text == "e", let name = row["typname"].text {
            return SQLColumnType(name, family: .enum(name))
        }
        if row["elemtype"].text == "e", let name = row["elemname"].text {
            return SQLColumnType(name + "[]", family: .enum(name), isArray: true)
        }
        return normalizedType(row["type"].text ?? "")
    }

    /// `format_type()` text in the lowering's spelling: `timestamp(3) without time zone[]` →
    /// `TIMESTAMP(3)[]`.
    static func normalizedType(_ formatted: String) -> SQLColumnType {
        var text = formatted
        var dimensions = 0
        while text.hasSuffix("[]") {
            text.removeLast(2)
            dimensions += 1
        }
        var arguments = ""
        if let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") {
            arguments = text[open...close].filter { $0 != " " }
            text = String(text[..<open]) + String(text[text.index(after: close)...])
        }
        text = text.split(separator: " ").joined(separator: " ")
        let known: (String, SQLColumnType.Family)? =
            switch text {
            case "text": ("TEXT", .string)
            case "character varying": ("VARCHAR", .string)
            case "character", "bpchar": ("CHAR", .string)
            case "uuid": ("UUID", .string)
            case "xml": ("XML", .string)
            case "inet": ("INET", .string)
            case "citext": ("CITEXT", .string)
            case "bit": ("BIT", .string)
            case "bit varying": ("VARBIT", .string)
            case "integer": ("INTEGER", .int)
            case "smallint": ("SMALLINT", .int)
            case "oid": ("OID", .int)
            case "bigint": ("BIGINT", .bigInt)
            case "double precision": ("DOUBLE PRECISION", .float)
            case "real": ("REAL", .float)
            case "numeric": ("DECIMAL", .decimal)
            case "money": ("MONEY", .decimal)
            case "boolean": ("BOOLEAN", .boolean)
            case "timestamp without time zone": ("TIMESTAMP", .dateTime)
            case "timestamp with time zone": ("TIMESTAMPTZ", .dateTime)
            case "date": ("DATE", .dateTime)
            case "time without time zone": ("TIME", .dateTime)
            case "time with time zone": ("TIMETZ", .dateTime)
            case "json": ("JSON", .json)
            case "jsonb": ("JSONB", .json)
            case "bytea": ("BYTEA", .bytes)
            default: nil
            }
        let suffix = String(repeating: "[]", count: dimensions)
        guard let (name, family) = known else {
            return SQLColumnType(formatted, family: .unsupported, isArray: dimensions > 0)
        }
        return SQLColumnType(name + arguments + suffix, family: family, isArray: dimensions > 0)
    }

    // MARK: - Defaults

    /// A `pg_get_expr` default in the model's neutral form.
    static func defaultValue(_ expression: String, family: SQLColumnType.Family) -> SQLDefault {
        let text = expression.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("nextval(") {
            return .sequence(sequenceName(text))
        }
        switch text.uppercased() {
        case "CURRENT_TIMESTAMP", "NOW()": return .currentTimestamp
        default: break
        }
        return literal(text, family: family).map(SQLDefault.literal) ?? .expression(text)
    }

    /// A constant, casts stripped; `nil` when `text` is an expression.
    static func literal(_ text: String, family: SQLColumnType.Family) -> SQLLiteral? {
        var text = text
        while text.hasPrefix("("), text.hasSuffix(")"), balanced(text.dropFirst().dropLast()) {
            text = String(text.dropFirst().dropLast())
        }
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        if let number = DefaultText.number(text) { return .number(number) }
        if text.hasPrefix("ARRAY[") {
            guard let close = closingBracket(text), cast(text[text.index(after: close)...]) else { return nil }
            let body = text[text.index(text.startIndex, offsetBy: 6)..<close]
            if body.trimmingCharacters(in: .whitespaces).isEmpty { return .array([]) }
            var elements: [SQLLiteral] = []
            for element in topLevelSplit(body) {
                guard let value = literal(element.trimmingCharacters(in: .whitespaces), family: family) else {
                    return nil
                }
                elements.append(value)
            }
            return .array(elements)
        }
        guard text.hasPrefix("'"), let end = quotedEnd(text), cast(text[text.index(after: end)...]),
            let content = DefaultText.quoted(String(text[...end]))
        else { return nil }
        if family.isNumeric, let number = DefaultText.number(content) { return .number(number) }
        if content == "true" || content == "false", family == .boolean { return .boolean(content == "true") }
        return .string(content)
    }

    /// Whether `rest` is empty or one or more `::type` casts (and no operator or other value).
    private static func cast(_ rest: Substring) -> Bool {
        guard !rest.isEmpty else { return true }
        return rest.hasPrefix("::")
            && rest.allSatisfy { $0.isLetter || $0.isNumber || " _\".:[](),".contains($0) }
    }

    /// The index of the quote closing a string that starts at `text`'s first character.
    private static func quotedEnd(_ text: String) -> String.Index? {
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            if text[index] == "'" {
                let next = text.index(after: index)
                if next < text.endIndex, text[next] == "'" {
                    index = text.index(after: next)
                    continue
                }
                return index
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// The `]` closing `ARRAY[`, skipping strings and nested brackets.
    private static func closingBracket(_ text: String) -> String.Index? {
        var depth = 0
        var inString = false
        for index in text.indices {
            let character = text[index]
            if character == "'" { inString.toggle() }
            if inString { continue }
            if character == "[" { depth += 1 }
            if character == "]" {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }

    private static func balanced(_ text: Substring) -> Bool {
        var depth = 0
        var inString = false
        for character in text {
            if character == "'" { inString.toggle() }
            if inString { continue }
            if character == "(" { depth += 1 }
            if character == ")" {
                depth -= 1
                if depth < 0 { return false }
            }
        }
        return depth == 0
    }

    /// Splits at commas outside strings, brackets and parentheses.
    private static func topLevelSplit(_ text: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var inString = false
        for character in text {
            if character == "'" { inString.toggle() }
            if !inString {
                if character == "(" || character == "[" { depth += 1 }
                if character == ")" || character == "]" { depth -= 1 }
                if character == ",", depth == 0 {
                    parts.append(current)
                    current = ""
                    continue
                }
            }
            current.append(character)
        }
        parts.append(current)
        return parts
    }

    /// `nextval('"Order_id_seq"'::regclass)` → `Order_id_seq` (schema qualification dropped).
    static func sequenceName(_ text: String) -> String {
        guard let open = text.firstIndex(of: "'"), let end = quotedEnd(String(text[open...])),
            let content = DefaultText.quoted(String(text[open...][...end]))
        else { return text }
        var name = ""
        var inQuotes = false
        var characters = Array(content)[...]
        while let character = characters.popFirst() {
            if character == "\"" {
                if inQuotes, characters.first == "\"" {
                    name.append("\"")
                    characters = characters.dropFirst()
                } else {
                    inQuotes.toggle()
                }
            } else if character == ".", !inQuotes {
                name = ""
            } else {
                name.append(character)
            }
        }
        return name
    }

    private static func action(_ code: String?) -> SQLReferentialAction {
        switch code {
        case "c": .cascade
        case "r": .restrict
        case "n": .setNull
        case "d": .setDefault
        default: .noAction
        }
    }

    private static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    // MARK: - Queries

    private static func columnsQuery(_ schemas: String, excluded: String) -> String {
        """
        SELECT n.nspname::text AS nspname, c.relname::text AS relname, a.attname::text AS attname,
               format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull::text AS attnotnull,
               pg_get_expr(d.adbin, d.adrelid) AS dflt, a.attidentity::text AS attidentity,
               t.typtype::text AS typtype, t.typname::text AS typname,
               et.typtype::text AS elemtype, et.typname::text AS elemname,
               (SELECT s.relname::text FROM pg_depend dep
                  JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
                 WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
                   AND dep.refobjid = c.oid AND dep.refobjsubid = a.attnum AND dep.deptype IN ('a', 'i')
                 LIMIT 1) AS seq
          FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          JOIN pg_type t ON t.oid = a.atttypid
          LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
          LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
         WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
           AND n.nspname = ANY(\(schemas)) AND c.relname NOT IN (\(excluded))
           AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                                                      AND e.objid = c.oid AND e.deptype = 'e')
         ORDER BY n.nspname, c.relname, a.attnum
        """
    }

    private static func primaryKeysQuery(_ schemas: String) -> String {
        """
        SELECT n.nspname::text AS nspname, c.relname::text AS relname, con.conname::text AS conname,
               a.attname::text AS attname
          FROM pg_constraint con
          JOIN pg_class c ON c.oid = con.conrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
         WHERE con.contype = 'p' AND n.nspname = ANY(\(schemas))
         ORDER BY 1, 2, 3, k.ord
        """
    }

    private static func foreignKeysQuery(_ schemas: String) -> String {
        """
        SELECT n.nspname::text AS nspname, c.relname::text AS relname, con.conname::text AS conname,
               a.attname::text AS attname, rn.nspname::text AS refschema, rc.relname::text AS refname,
               ra.attname::text AS refattname,
               con.confdeltype::text AS confdeltype, con.confupdtype::text AS confupdtype
          FROM pg_constraint con
          JOIN pg_class c ON c.oid = con.conrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_class rc ON rc.oid = con.confrelid
          JOIN pg_namespace rn ON rn.oid = rc.relnamespace
          CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, refnum, ord)
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
          JOIN pg_attribute ra ON ra.attrelid = rc.oid AND ra.attnum = k.refnum
         WHERE con.contype = 'f' AND n.nspname = ANY(\(schemas))
         ORDER BY 1, 2, 3, k.ord
        """
    }

    private static func indexesQuery(_ schemas: String) -> String {
        """
        SELECT n.nspname::text AS nspname, c.relname::text AS relname, ic.relname::text AS indexname,
               i.indisunique::text AS indisunique, am.amname::text AS amname,
               pg_get_expr(i.indpred, i.indrelid) AS predicate, a.attname::text AS attname, k.opt::int AS opt,
               pg_get_indexdef(i.indexrelid) AS indexdef,
               (SELECT oc.opcname::text FROM pg_opclass oc
                 WHERE oc.oid = i.indclass[k.ord::int - 1] AND NOT oc.opcdefault) AS opclass
          FROM pg_index i
          JOIN pg_class c ON c.oid = i.indrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_class ic ON ic.oid = i.indexrelid
          JOIN pg_am am ON am.oid = ic.relam
          CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indoption::int2[]) WITH ORDINALITY AS k(attnum, opt, ord)
          LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum AND k.attnum > 0
         WHERE NOT i.indisprimary AND c.relkind IN ('r', 'p') AND n.nspname = ANY(\(schemas))
           AND k.ord <= i.indnkeyatts
         ORDER BY 1, 2, 3, k.ord
        """
    }

    private static func enumsQuery(_ schemas: String) -> String {
        """
        SELECT n.nspname::text AS nspname, t.typname::text AS typname, e.enumlabel::text AS enumlabel
          FROM pg_type t
          JOIN pg_namespace n ON n.oid = t.typnamespace
          JOIN pg_enum e ON e.enumtypid = t.oid
         WHERE n.nspname = ANY(\(schemas))
         ORDER BY 1, 2, e.enumsortorder
        """
    }
}
