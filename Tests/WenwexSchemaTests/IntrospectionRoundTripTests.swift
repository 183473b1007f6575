import Foundation
import Testing
import WenwexConfig
import WenwexSQL
import WenwexSchema
import WenwexTestSupport

/// Lower a schema, create it in an empty database with the DDL Prisma Migrate writes for it,
/// introspect, and the two models are equal; plus one test per catalog subtlety.
@Suite("Introspection round trip on PostgreSQL", .enabled(if: PostgresAvailability.shouldRun))
struct PostgresIntrospectionTests {
    static func withDatabase<Result: Sendable>(
        _ prefix: String,
        _ body: (any SQLSession) async throws -> Result
    ) async throws -> Result {
        let url = try DatabaseURL(try await SharedPostgres.freshDatabase(prefix: prefix))
        return try await DatabaseConnector.withSession(url, body)
    }

    @Test func marketplaceRoundTrips() async throws {
        let lowered = try LoweringTests.marketplace(.postgres).databaseView
        let introspected = try await Self.withDatabase("introspect_marketplace") { session in
            for statement in TestDDL.statements(for: lowered, dialect: .postgres) {
                try await session.execute(statement, [])
            }
            return try await PostgresIntrospector().introspect(session)
        }
        #expect(introspected == lowered, "\(SchemaDifferences.describe(expected: lowered, actual: introspected))")
        #expect(introspected.tables.count == 9)
        #expect(introspected.enums.map(\.name) == ["Role", "order_status"])
    }

    @Test func bookkeepingTablesAreIgnored() async throws {
        let schema = try await Self.withDatabase("introspect_bookkeeping") { session in
            for table in ["_wenwex_identity", "_wenwex_migrations", "_prisma_migrations", "app"] {
                try await session.execute("CREATE TABLE \"\(unsafeRaw: table)\" (id INTEGER NOT NULL)")
            }
            return try await PostgresIntrospector().introspect(session)
        }
        #expect(schema.tables.map(\.name) == ["app"])
    }

    @Test func descendingIndexColumnsAndCompositePrimaryKeyOrder() async throws {
        let table = try await Self.withDatabase("introspect_index") { session in
            try await session.execute(
                """
                CREATE TABLE "t" ("a" INTEGER NOT NULL, "b" TEXT NOT NULL, "c" TIMESTAMP(3) NOT NULL,
                    CONSTRAINT "t_pkey" PRIMARY KEY ("c", "a"))
                """
            )
            try await session.execute(#"CREATE INDEX "t_b_c_idx" ON "t"("b" DESC, "c")"#)
            try await session.execute(#"CREATE UNIQUE INDEX "t_b_key" ON "t"("b")"#)
            try await session.execute(#"CREATE UNIQUE INDEX "t_c_desc" ON "t"("c" DESC)"#)
            try await session.execute(#"CREATE INDEX "t_b_hash" ON "t" USING HASH ("b")"#)
            return try await PostgresIntrospector().introspect(session).table("t")
        }
        #expect(table?.primaryKey == SQLPrimaryKey(name: "t_pkey", columns: ["c", "a"]))
        #expect(table?.uniques == [SQLUnique(name: "t_b_key", columns: ["b"])])
        #expect(
            table?.indexes == [
                SQLIndex(name: "t_b_c_idx", columns: [.init("b", sort: .descending), .init("c")]),
                SQLIndex(name: "t_b_hash", columns: [.init("b")], method: "hash"),
                SQLIndex(name: "t_c_desc", columns: [.init("c", sort: .descending)], isUnique: true),
            ]
        )
    }

    @Test func enumValuesFollowSortOrderNotCreationOrder() async throws {
        let schema = try await Self.withDatabase("introspect_enum") { session in
            try await session.execute(#"CREATE TYPE "Size" AS ENUM ('M', 'XL')"#)
            try await session.execute(#"ALTER TYPE "Size" ADD VALUE 'S' BEFORE 'M'"#)
            try await session.execute(#"ALTER TYPE "Size" ADD VALUE 'L' AFTER 'M'"#)
            try await session.execute(
                #"CREATE TABLE "shirt" ("size" "Size" NOT NULL DEFAULT 'M', "sizes" "Size"[], "id" SERIAL NOT NULL)"#
            )
            return try await PostgresIntrospector().introspect(session)
        }
        #expect(schema.enums == [SQLEnum(name: "Size", values: ["S", "M", "L", "XL"])])
        let shirt = try #require(schema.table("shirt"))
        #expect(
            shirt.column("size")
                == SQLColumn(
                    name: "size",
                    type: SQLColumnType("Size", family: .enum("Size")),
                    default: .literal(.string("M"))
                )
        )
        #expect(shirt.column("sizes")?.type == SQLColumnType("Size[]", family: .enum("Size"), isArray: true))
        #expect(shirt.column("sizes")?.isNullable == true)
        #expect(shirt.column("id")?.default == .sequence("shirt_id_seq"))
        #expect(shirt.column("id")?.isAutoIncrement == true)
    }

    @Test func foreignKeyActionsAndColumnOrder() async throws {
        let table = try await Self.withDatabase("introspect_fk") { session in
            try await session.execute(
                #"CREATE TABLE "p" ("x" INTEGER NOT NULL, "y" INTEGER NOT NULL, CONSTRAINT "p_pkey" PRIMARY KEY ("x", "y"))"#
            )
            try await session.execute(#"CREATE TABLE "c" ("a" INTEGER, "b" INTEGER)"#)
            let actions: [(String, String)] = [
                ("CASCADE", "RESTRICT"), ("RESTRICT", "CASCADE"), ("SET NULL", "NO ACTION"),
                ("SET DEFAULT", "SET NULL"),
                ("NO ACTION", "SET DEFAULT"),
            ]
            for (index, (onDelete, onUpdate)) in actions.enumerated() {
                try await session.execute(
                    #"ALTER TABLE "c" ADD CONSTRAINT "c_fk\#(unsafeRaw: String(index))" FOREIGN KEY ("b", "a") REFERENCES "p"("y", "x") ON DELETE \#(unsafeRaw: onDelete) ON UPDATE \#(unsafeRaw: onUpdate)"#
                )
            }
            return try await PostgresIntrospector().introspect(session).table("c")
        }
        let foreignKeys = try #require(table?.foreignKeys)
        #expect(foreignKeys.map(\.name) == ["c_fk0", "c_fk1", "c_fk2", "c_fk3", "c_fk4"])
        #expect(
            foreignKeys.allSatisfy {
                $0.columns == ["b", "a"] && $0.referencedColumns == ["y", "x"] && $0.referencedTable == "p"
            }
        )
        #expect(foreignKeys.map(\.onDelete) == [.cascade, .restrict, .setNull, .setDefault, .noAction])
        #expect(foreignKeys.map(\.onUpdate) == [.restrict, .cascade, .noAction, .setNull, .setDefault])
    }

    @Test func typesAndDefaultsAreNormalised() async throws {
        let table = try await Self.withDatabase("introspect_types") { session in
            try await session.execute(
                """
                CREATE TABLE "t" (
                    "ts" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
                    "tz" TIMESTAMPTZ(6) DEFAULT now(),
                    "v" VARCHAR(255) NOT NULL DEFAULT 'it''s',
                    "d" DECIMAL(65,30) NOT NULL DEFAULT 12.50,
                    "n" INTEGER NOT NULL DEFAULT -1,
                    "f" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
                    "b" BOOLEAN NOT NULL DEFAULT false,
                    "j" JSONB NOT NULL DEFAULT '{"a": 1}',
                    "by" BYTEA,
                    "u" UUID NOT NULL DEFAULT gen_random_uuid(),
                    "tags" TEXT[] DEFAULT ARRAY['a', 'b']::TEXT[],
                    "big" BIGSERIAL NOT NULL,
                    "small" SMALLINT NOT NULL,
                    "c" CHAR(3),
                    "geo" POINT,
                    "cat" TEXT DEFAULT ('a' || 'b')
                )
                """
            )
            return try await PostgresIntrospector().introspect(session).table("t")
        }
        let columns = try #require(table?.columns)
        #expect(
            columns.map(\.type) == [
                SQLColumnType("TIMESTAMP(3)", family: .dateTime), SQLColumnType("TIMESTAMPTZ(6)", family: .dateTime),
                SQLColumnType("VARCHAR(255)", family: .string), SQLColumnType("DECIMAL(65,30)", family: .decimal),
                SQLColumnType("INTEGER", family: .int), SQLColumnType("DOUBLE PRECISION", family: .float),
                SQLColumnType("BOOLEAN", family: .boolean), SQLColumnType("JSONB", family: .json),
                SQLColumnType("BYTEA", family: .bytes), SQLColumnType("UUID", family: .string),
                SQLColumnType("TEXT[]", family: .string, isArray: true), SQLColumnType("BIGINT", family: .bigInt),
                SQLColumnType("SMALLINT", family: .int), SQLColumnType("CHAR(3)", family: .string),
                SQLColumnType("point", family: .unsupported), SQLColumnType("TEXT", family: .string),
            ]
        )
        #expect(
            columns.map(\.default) == [
                .currentTimestamp, .currentTimestamp, .literal(.string("it's")), .literal(.number("12.50")),
                .literal(.number("-1")), .literal(.number("0.5")), .literal(.boolean(false)),
                .literal(.string(#"{"a": 1}"#)), nil, .expression("gen_random_uuid()"),
                .literal(.array([.string("a"), .string("b")])), .sequence("t_big_seq"), nil, nil, nil,
                .expression("('a'::text || 'b'::text)"),
            ]
        )
        #expect(columns.map(\.isAutoIncrement) == columns.map { $0.name == "big" })
        #expect(columns.filter(\.isNullable).map(\.name) == ["tz", "by", "tags", "c", "geo", "cat"])
    }

    @Test func severalSchemasNameTheirTables() async throws {
        let schema = try await Self.withDatabase("introspect_schemas") { session in
            try await session.execute(#"CREATE SCHEMA "billing""#)
            try await session.execute(
                #"CREATE TABLE "public"."user" ("id" INTEGER NOT NULL, CONSTRAINT "user_pkey" PRIMARY KEY ("id"))"#
            )
            try await session.execute(#"CREATE TYPE "billing"."Plan" AS ENUM ('FREE', 'PRO')"#)
            try await session.execute(
                #"CREATE TABLE "billing"."invoice" ("userId" INTEGER NOT NULL, "plan" "billing"."Plan" NOT NULL, CONSTRAINT "invoice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "public"."user"("id"))"#
            )
            return try await PostgresIntrospector().introspect(session, schemas: ["public", "billing"])
        }
        #expect(schema.tables.map { "\($0.schema ?? "-").\($0.name)" } == ["billing.invoice", "public.user"])
        #expect(schema.enums == [SQLEnum(name: "Plan", schema: "billing", values: ["FREE", "PRO"])])
        #expect(schema.table("invoice")?.foreignKeys.first?.referencedSchema == "public")
        #expect(schema.table("invoice")?.column("plan")?.type == SQLColumnType("Plan", family: .enum("Plan")))
    }
}

@Suite("Introspection round trip on SQLite")
struct SQLiteIntrospectionTests {
    static func withDatabase<Result: Sendable>(_ body: (any SQLSession) async throws -> Result) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wenwex-introspect-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = try DatabaseURL("file:" + directory.appendingPathComponent("test.db").path)
        return try await DatabaseConnector.withSession(url, body)
    }

    @Test func marketplaceRoundTrips() async throws {
        let lowered = try LoweringTests.marketplace(.sqlite).databaseView
        let introspected = try await Self.withDatabase { session in
            for statement in TestDDL.statements(for: lowered, dialect: .sqlite) {
                try await session.execute(statement, [])
            }
            return try await SQLiteIntrospector().introspect(session)
        }
        // The one thing SQLite cannot keep: a `BigInt @default(autoincrement())` id is lowered to
        // `INTEGER` (the only type SQLite numbers rows in) but keeps the family `.bigInt`; the
        // database holds just `INTEGER`, which introspects as `.int` (as in `prisma db pull`).
        let orderID = try #require(lowered.table("Order")?.column("id"))
        #expect(orderID.type == SQLColumnType("INTEGER", family: .bigInt) && orderID.isAutoIncrement)
        var expected = lowered
        let order = try #require(expected.tables.firstIndex { $0.name == "Order" })
        expected.tables[order].columns[0].type = SQLColumnType("INTEGER", family: .int)
        #expect(introspected == expected, "\(SchemaDifferences.describe(expected: expected, actual: introspected))")
        #expect(introspected.tables.count == 9)
    }

    @Test func bookkeepingAndInternalTablesAreIgnored() async throws {
        let schema = try await Self.withDatabase { session in
            for table in ["_wenwex_identity", "_wenwex_migrations", "_prisma_migrations"] {
                try await session.execute("CREATE TABLE \"\(unsafeRaw: table)\" (id INTEGER NOT NULL)")
            }
            // AUTOINCREMENT creates `sqlite_sequence`.
            try await session.execute(#"CREATE TABLE "app" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT)"#)
            try await session.execute(#"INSERT INTO "app" DEFAULT VALUES"#)
            return try await SQLiteIntrospector().introspect(session)
        }
        #expect(schema.tables.map(\.name) == ["app"])
        #expect(schema.table("app")?.column("id")?.isAutoIncrement == true)
    }

    @Test func descendingIndexColumnsAndCompositePrimaryKeyOrder() async throws {
        let table = try await Self.withDatabase { session in
            try await session.execute(
                #"CREATE TABLE "t" ("a" INTEGER NOT NULL, "b" TEXT NOT NULL, "c" DATETIME NOT NULL, PRIMARY KEY ("c", "a"))"#
            )
            try await session.execute(#"CREATE INDEX "t_b_c_idx" ON "t"("b" DESC, "c")"#)
            try await session.execute(#"CREATE UNIQUE INDEX "t_b_key" ON "t"("b")"#)
            return try await SQLiteIntrospector().introspect(session).table("t")
        }
        #expect(table?.primaryKey == SQLPrimaryKey(name: nil, columns: ["c", "a"]))
        #expect(table?.columns.map(\.isAutoIncrement) == [false, false, false])
        #expect(table?.uniques == [SQLUnique(name: "t_b_key", columns: ["b"])])
        #expect(table?.indexes == [SQLIndex(name: "t_b_c_idx", columns: [.init("b", sort: .descending), .init("c")])])
    }

    @Test func foreignKeyNamesComeFromTheCreateTableText() async throws {
        let table = try await Self.withDatabase { session in
            try await session.execute(
                #"CREATE TABLE "p" ("x" INTEGER NOT NULL, "y" INTEGER NOT NULL, PRIMARY KEY ("x", "y"))"#
            )
            try await session.execute(
                """
                CREATE TABLE "c" (
                    "a" INTEGER, "b" INTEGER, "d" INTEGER,
                    CONSTRAINT "c ""odd"" name" FOREIGN KEY ("b", "a") REFERENCES "p" ("y", "x") ON DELETE CASCADE ON UPDATE RESTRICT,
                    CONSTRAINT "c_a_fkey" FOREIGN KEY ("a", "b") REFERENCES "p" ("x", "y") ON DELETE SET NULL ON UPDATE SET DEFAULT,
                    FOREIGN KEY ("d", "d") REFERENCES "p"
                )
                """
            )
            return try await SQLiteIntrospector().introspect(session).table("c")
        }
        #expect(
            table?.foreignKeys == [
                SQLForeignKey(
                    name: "c \"odd\" name",
                    columns: ["b", "a"],
                    referencedTable: "p",
                    referencedColumns: ["y", "x"],
                    onDelete: .cascade,
                    onUpdate: .restrict
                ),
                SQLForeignKey(
                    name: "c_a_fkey",
                    columns: ["a", "b"],
                    referencedTable: "p",
                    referencedColumns: ["x", "y"],
                    onDelete: .setNull,
                    onUpdate: .setDefault
                ),
                // Unnamed: Prisma's conventional name; no columns: the referenced primary key.
                SQLForeignKey(
                    name: "c_d_d_fkey",
                    columns: ["d", "d"],
                    referencedTable: "p",
                    referencedColumns: ["x", "y"],
                    onDelete: .noAction,
                    onUpdate: .noAction
                ),
            ]
        )
    }

    @Test func defaultsAreNormalised() async throws {
        let table = try await Self.withDatabase { session in
            try await session.execute(
                """
                CREATE TABLE "t" ("s" TEXT NOT NULL DEFAULT 'it''s', "n" INTEGER NOT NULL DEFAULT -1, "d" DECIMAL NOT NULL DEFAULT 12.50,
                    "b" BOOLEAN NOT NULL DEFAULT true, "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "e" TEXT DEFAULT (lower('X')))
                """
            )
            return try await SQLiteIntrospector().introspect(session).table("t")
        }
        #expect(
            table?.columns.map(\.default) == [
                .literal(.string("it's")), .literal(.number("-1")), .literal(.number("12.50")),
                .literal(.boolean(true)),
                .currentTimestamp, .expression("lower('X')"),
            ]
        )
    }
}

// MARK: - The DDL Prisma Migrate writes (test-only; the real renderer belongs to migrations)

enum TestDDL {
    static func statements(for schema: SQLSchema, dialect: SQLDialect) -> [String] {
        switch dialect {
        case .postgres: postgres(schema)
        case .sqlite: sqlite(schema)
        }
    }

    private static func quote(_ name: String) -> String { SQLDialect.postgres.quoteIdentifier(name) }

    private static func qualified(_ name: String, _ schema: String?) -> String {
        schema.map { quote($0) + "." + quote(name) } ?? quote(name)
    }

    private static func columnList(_ names: [String]) -> String {
        names.map(quote).joined(separator: ", ")
    }

    private static func literal(_ value: SQLLiteral) -> String {
        switch value {
        case .string(let text): "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        case .number(let text): text
        case .boolean(let flag): flag ? "true" : "false"
        case .array(let elements): "ARRAY[" + elements.map(literal).joined(separator: ", ") + "]"
        }
    }

    private static func defaultClause(_ value: SQLDefault?) -> String {
        switch value {
        case .literal(let literal): " DEFAULT " + Self.literal(literal)
        case .currentTimestamp: " DEFAULT CURRENT_TIMESTAMP"
        case .expression(let text): " DEFAULT " + text
        case .sequence, .applicationGenerated, nil: ""
        }
    }

    private static func postgres(_ schema: SQLSchema) -> [String] {
        var statements = schema.enums.map { enumeration in
            "CREATE TYPE \(qualified(enumeration.name, enumeration.schema)) AS ENUM ("
                + enumeration.values.map { literal(.string($0)) }.joined(separator: ", ") + ")"
        }
        for table in schema.tables {
            var lines = table.columns.map { column -> String in
                var type = column.type.text
                if column.isAutoIncrement {
                    type = ["INTEGER": "SERIAL", "BIGINT": "BIGSERIAL", "SMALLINT": "SMALLSERIAL"][type] ?? type
                } else if case .enum(let name) = column.type.family {
                    type = qualified(name, table.schema) + (column.type.isArray ? "[]" : "")
                }
                return
                    "    \(quote(column.name)) \(type)\(column.isNullable ? "" : " NOT NULL")\(defaultClause(column.default))"
            }
            if let key = table.primaryKey {
                lines.append(
                    "    CONSTRAINT \(quote(key.name ?? table.name + "_pkey")) PRIMARY KEY (\(columnList(key.columns)))"
                )
            }
            statements.append(
                "CREATE TABLE \(qualified(table.name, table.schema)) (\n\(lines.joined(separator: ",\n"))\n)"
            )
        }
        for table in schema.tables {
            statements += indexes(of: table, on: qualified(table.name, table.schema), methods: true)
        }
        for table in schema.tables {
            for key in table.foreignKeys {
                statements.append(
                    "ALTER TABLE \(qualified(table.name, table.schema)) ADD CONSTRAINT \(quote(key.name)) FOREIGN KEY (\(columnList(key.columns))) "
                        + "REFERENCES \(qualified(key.referencedTable, key.referencedSchema))(\(columnList(key.referencedColumns))) "
                        + "ON DELETE \(key.onDelete.sql) ON UPDATE \(key.onUpdate.sql)"
                )
            }
        }
        return statements
    }

    private static func indexes(of table: SQLTable, on target: String, methods: Bool) -> [String] {
        table.uniques.map { "CREATE UNIQUE INDEX \(quote($0.name)) ON \(target)(\(columnList($0.columns)))" }
            + table.indexes.map { index in
                let using = methods ? index.method.map { " USING \($0.uppercased()) " } ?? "" : ""
                let columns = index.columns.map { quote($0.name) + ($0.sort == .descending ? " DESC" : "") }
                return
                    "CREATE \(index.isUnique ? "UNIQUE " : "")INDEX \(quote(index.name)) ON \(target)\(using)(\(columns.joined(separator: ", ")))"
            }
    }

    private static func sqlite(_ schema: SQLSchema) -> [String] {
        var statements: [String] = []
        for table in schema.tables {
            let key = table.primaryKey?.columns ?? []
            var lines = table.columns.map { column -> String in
                var line = "    \(quote(column.name)) \(column.type.text)\(column.isNullable ? "" : " NOT NULL")"
                if key == [column.name] {
                    line += " PRIMARY KEY" + (column.isAutoIncrement ? " AUTOINCREMENT" : "")
                }
                return line + defaultClause(column.default)
            }
            if key.count > 1 {
                lines.append("    PRIMARY KEY (\(columnList(key)))")
            }
            for foreignKey in table.foreignKeys {
                lines.append(
                    "    CONSTRAINT \(quote(foreignKey.name)) FOREIGN KEY (\(columnList(foreignKey.columns))) "
                        + "REFERENCES \(quote(foreignKey.referencedTable)) (\(columnList(foreignKey.referencedColumns))) "
                        + "ON DELETE \(foreignKey.onDelete.sql) ON UPDATE \(foreignKey.onUpdate.sql)"
                )
            }
            statements.append("CREATE TABLE \(quote(table.name)) (\n\(lines.joined(separator: ",\n"))\n)")
            statements += indexes(of: table, on: quote(table.name), methods: false)
        }
        return statements
    }
}

// MARK: - A readable difference between two models

enum SchemaDifferences {
    static func describe(expected: SQLSchema, actual: SQLSchema) -> String {
        var lines: [String] = []
        func name(_ table: SQLTable) -> String { table.schema.map { "\($0).\(table.name)" } ?? table.name }
        for enumeration in expected.enums where !actual.enums.contains(enumeration) {
            let found = actual.enumeration(enumeration.name, schema: enumeration.schema)
            lines.append(
                "enum \(enumeration.name): expected \(enumeration.values), got \(found.map { "\($0.values)" } ?? "nothing")"
            )
        }
        for enumeration in actual.enums where expected.enumeration(enumeration.name, schema: enumeration.schema) == nil
        {
            lines.append("enum \(enumeration.name): not expected")
        }
        for table in expected.tables {
            guard let other = actual.table(table.name, schema: table.schema) else {
                lines.append("table \(name(table)): missing")
                continue
            }
            guard other != table else { continue }
            if table.columns.map(\.name) != other.columns.map(\.name) {
                lines.append(
                    "table \(name(table)): columns \(table.columns.map(\.name)) ≠ \(other.columns.map(\.name))"
                )
            }
            for column in table.columns {
                if let found = other.column(column.name), found != column {
                    lines.append(
                        "column \(name(table)).\(column.name): expected \(describe(column)), got \(describe(found))"
                    )
                }
            }
            if table.primaryKey != other.primaryKey {
                lines.append(
                    "table \(name(table)): primary key \(String(describing: table.primaryKey)) ≠ \(String(describing: other.primaryKey))"
                )
            }
            compare("unique", table.uniques, other.uniques, \.name, table: name(table), into: &lines)
            compare("index", table.indexes, other.indexes, \.name, table: name(table), into: &lines)
            compare("foreign key", table.foreignKeys, other.foreignKeys, \.name, table: name(table), into: &lines)
        }
        for table in actual.tables where expected.table(table.name, schema: table.schema) == nil {
            lines.append("table \(name(table)): not expected")
        }
        return lines.isEmpty ? "no differences" : "differences:\n" + lines.joined(separator: "\n")
    }

    private static func describe(_ column: SQLColumn) -> String {
        let type = "\(column.type.text) (\(column.type.family)\(column.type.isArray ? ", array" : ""))"
        let value = column.default.map { "\($0)" } ?? "no default"
        return
            "\(type), \(column.isNullable ? "NULL" : "NOT NULL"), \(value)\(column.isAutoIncrement ? ", autoincrement" : "")"
    }

    private static func compare<Item: Equatable>(
        _ kind: String,
        _ expected: [Item],
        _ actual: [Item],
        _ name: KeyPath<Item, String>,
        table: String,
        into lines: inout [String]
    ) {
        for item in expected where !actual.contains(item) {
            let found = actual.first { $0[keyPath: name] == item[keyPath: name] }
            lines.append(
                "\(kind) \(table).\(item[keyPath: name]): expected \(item), got \(found.map { "\($0)" } ?? "nothing")"
            )
        }
        for item in actual where !expected.contains(where: { $0[keyPath: name] == item[keyPath: name] }) {
            lines.append("\(kind) \(table).\(item[keyPath: name]): not expected (\(item))")
        }
    }
}
