import Foundation
import Testing
import WenwexSQL
import WenwexSchema
import WenwexTestSupport

/// `SchemaPull` on hand-built database models: names, types, defaults, keys, relations, join
/// tables and tables without a key. Most cases also check the round trip the pull exists for:
/// the pulled text parses and validates, and lowering it gives back the model it came from.
@Suite("Pull")
struct PullTests {
    // MARK: - Helpers

    /// Pulls `schema`, requires a valid result, and returns its text.
    static func pulled(_ schema: SQLSchema, _ dialect: SQLDialect) throws -> SchemaPull.Result {
        let result = SchemaPull.pull(schema, dialect: dialect)
        let check = SchemaCheck(text: result.text)
        try #require(check.isValid, "\(check.renderedDiagnostics)\n\(result.text)")
        #expect(check.warnings.isEmpty, "\(check.renderedDiagnostics)")
        return result
    }

    /// Pulls `schema`, lowers the result, and expects the model it started from.
    @discardableResult
    static func expectRoundTrip(_ schema: SQLSchema, _ dialect: SQLDialect) throws -> String {
        let result = try pulled(schema, dialect)
        let lowered = SchemaLowering.lower(SchemaCheck(text: result.text).schema, dialect: dialect).databaseView
        #expect(
            lowered == schema,
            "\(SchemaDifferences.describe(expected: schema, actual: lowered))\n\(result.text)"
        )
        return result.text
    }

    /// The lines of `text` with runs of spaces collapsed, so expectations do not depend on the
    /// formatter's column alignment.
    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { line in
            line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        }
    }

    static func expectLines(
        _ expected: [String],
        in text: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let actual = Set(lines(text))
        for line in expected {
            #expect(actual.contains(line), "missing `\(line)` in\n\(text)", sourceLocation: sourceLocation)
        }
    }

    static let text = SQLColumnType("TEXT", family: .string)
    static let integer = SQLColumnType("INTEGER", family: .int)

    /// A PostgreSQL `SERIAL` id column and its primary key, as Prisma creates them.
    static func serial(_ table: String) -> SQLColumn {
        SQLColumn(name: "id", type: integer, default: .sequence("\(table)_id_seq"), isAutoIncrement: true)
    }

    static func key(_ table: String, _ columns: [String] = ["id"]) -> SQLPrimaryKey {
        SQLPrimaryKey(name: "\(table)_pkey", columns: columns)
    }

    static func foreignKey(
        _ table: String,
        _ columns: [String],
        to target: String,
        _ referenced: [String] = ["id"],
        onDelete: SQLReferentialAction = .restrict,
        onUpdate: SQLReferentialAction = .cascade,
        name: String? = nil
    ) -> SQLForeignKey {
        SQLForeignKey(
            name: name ?? "\(table)_\(columns.joined(separator: "_"))_fkey",
            columns: columns,
            referencedTable: target,
            referencedColumns: referenced,
            onDelete: onDelete,
            onUpdate: onUpdate
        )
    }

    // MARK: - Names

    @Test func namesThatAreNotIdentifiersAreSanitizedAndMapped() throws {
        let status = SQLColumnType("order status", family: .enum("order status"))
        let schema = SQLSchema(
            tables: [
                SQLTable(
                    name: "order-items",
                    columns: [
                        Self.serial("order-items"),
                        SQLColumn(name: "2fa code", type: Self.text, isNullable: true),
                        SQLColumn(name: "a-b", type: Self.text),
                        SQLColumn(name: "a_b", type: Self.text),
                        SQLColumn(name: "status", type: status, default: .literal(.string("in progress"))),
                    ],
                    primaryKey: Self.key("order-items"),
                    uniques: [SQLUnique(name: "order-items_a-b_key", columns: ["a-b"])]
                ),
                SQLTable(
                    name: "String",
                    columns: [SQLColumn(name: "id", type: Self.text)],
                    primaryKey: Self.key("String")
                ),
                SQLTable(
                    name: "_private",
                    columns: [SQLColumn(name: "id", type: Self.text)],
                    primaryKey: Self.key("_private")
                ),
            ],
            enums: [SQLEnum(name: "order status", values: ["in progress", "1", "DONE"])]
        )
        let text = try Self.expectRoundTrip(schema, .postgres)
        Self.expectLines(
            [
                "model order_items {",
                "field_2fa_code String? @map(\"2fa code\")",
                // The column really called a_b keeps its name; the invalid one gets a number.
                "a_b String",
                "a_b_1 String @unique @map(\"a-b\")",
                "status order_status @default(in_progress)",
                "@@map(\"order-items\")",
                "model RenamedString {",
                "@@map(\"String\")",
                "model private {",
                "@@map(\"_private\")",
                "enum order_status {",
                "in_progress @map(\"in progress\")",
                "VALUE_1 @map(\"1\")",
                "DONE",
                "@@map(\"order status\")",
            ],
            in: text
        )
    }

    @Test func sanitizerFollowsPrismaRules() {
        #expect(PullNamesProbe.sanitize("users") == "users")
        #expect(PullNamesProbe.sanitize("user-profiles") == "user_profiles")
        #expect(PullNamesProbe.sanitize("__private") == "private")
        #expect(PullNamesProbe.sanitize("2fa") == "Model_2fa")
        #expect(PullNamesProbe.sanitize("???") == "Model")
        #expect(PullNamesProbe.sanitize("école") == "cole")
    }

    // MARK: - Types

    @Test func nativeTypesAreWrittenOnlyWhenTheyAreNotTheDefault() throws {
        let columns: [(String, SQLColumnType, Bool)] = [
            ("varchar", SQLColumnType("VARCHAR(255)", family: .string), false),
            ("timestamp3", SQLColumnType("TIMESTAMP(3)", family: .dateTime), false),
            ("timestamptz", SQLColumnType("TIMESTAMPTZ(6)", family: .dateTime), true),
            ("timestamp", SQLColumnType("TIMESTAMP", family: .dateTime), false),
            ("money", SQLColumnType("DECIMAL(10,2)", family: .decimal), false),
            ("decimal", SQLColumnType("DECIMAL(65,30)", family: .decimal), false),
            ("uuid", SQLColumnType("UUID", family: .string), false),
            ("small", SQLColumnType("SMALLINT", family: .int), false),
            ("double", SQLColumnType("DOUBLE PRECISION", family: .float), false),
            ("real", SQLColumnType("REAL", family: .float), false),
            ("char", SQLColumnType("CHAR(3)", family: .string), true),
            ("json", SQLColumnType("JSON", family: .json), false),
            ("jsonb", SQLColumnType("JSONB", family: .json), false),
            ("bytes", SQLColumnType("BYTEA", family: .bytes), true),
            ("date", SQLColumnType("DATE", family: .dateTime), false),
            ("time", SQLColumnType("TIME(6)", family: .dateTime), false),
            ("tags", SQLColumnType("TEXT[]", family: .string, isArray: true), true),
            ("stamps", SQLColumnType("TIMESTAMPTZ(3)[]", family: .dateTime, isArray: true), true),
            ("geo", SQLColumnType("point", family: .unsupported), true),
            ("domain", SQLColumnType("\"My\\Domain\"", family: .unsupported), false),
            ("role", SQLColumnType("Role", family: .enum("Role")), false),
            ("roles", SQLColumnType("Role[]", family: .enum("Role"), isArray: true), true),
        ]
        let schema = SQLSchema(
            tables: [
                SQLTable(
                    name: "t",
                    columns: [Self.serial("t")]
                        + columns.map { SQLColumn(name: $0.0, type: $0.1, isNullable: $0.2) },
                    primaryKey: Self.key("t")
                )
            ],
            enums: [SQLEnum(name: "Role", values: ["USER"])]
        )
        let text = try Self.expectRoundTrip(schema, .postgres)
        Self.expectLines(
            [
                "varchar String @db.VarChar(255)",
                "timestamp3 DateTime",
                "timestamptz DateTime? @db.Timestamptz(6)",
                "timestamp DateTime @db.Timestamp",
                "money Decimal @db.Decimal(10, 2)",
                "decimal Decimal",
                "uuid String @db.Uuid",
                "small Int @db.SmallInt",
                "double Float",
                "real Float @db.Real",
                "char String? @db.Char(3)",
                "json Json @db.Json",
                "jsonb Json",
                "bytes Bytes?",
                "date DateTime @db.Date",
                "time DateTime @db.Time(6)",
                "tags String[]",
                "stamps DateTime[] @db.Timestamptz(3)",
                "geo Unsupported(\"point\")?",
                #"domain Unsupported("\"My\\Domain\"")"#,
                "role Role",
                "roles Role[]",
            ],
            in: text
        )
    }

    @Test func sqliteColumnsAreTheScalarOfTheirFamily() throws {
        let table = SQLTable(
            name: "t",
            columns: [
                SQLColumn(name: "id", type: Self.integer, isAutoIncrement: true),
                SQLColumn(name: "name", type: SQLColumnType("VARCHAR(255)", family: .string)),
                SQLColumn(name: "at", type: SQLColumnType("DATETIME", family: .dateTime), isNullable: true),
                SQLColumn(name: "price", type: SQLColumnType("DECIMAL", family: .decimal)),
                SQLColumn(name: "blob", type: SQLColumnType("BLOB", family: .bytes), isNullable: true),
                SQLColumn(name: "odd", type: SQLColumnType("GEOMETRY", family: .unsupported), isNullable: true),
            ],
            primaryKey: SQLPrimaryKey(name: nil, columns: ["id"]),
            // An inline `UNIQUE`: SQLite's own name cannot be created again, so no `map:`.
            uniques: [SQLUnique(name: "sqlite_autoindex_t_1", columns: ["name"])]
        )
        let text = try Self.pulled(SQLSchema(tables: [table]), .sqlite).text
        Self.expectLines(
            [
                "provider = \"sqlite\"",
                "id Int @id @default(autoincrement())",
                "name String @unique",
                "at DateTime?",
                "price Decimal",
                "blob Bytes?",
                "odd Unsupported(\"GEOMETRY\")?",
            ],
            in: text
        )
        #expect(!text.contains("@db."))
    }

    // MARK: - Defaults

    @Test func defaultsBecomeFunctionsLiteralsAndDbGenerated() throws {
        let schema = SQLSchema(
            tables: [
                SQLTable(
                    name: "t",
                    columns: [
                        Self.serial("t"),
                        SQLColumn(
                            name: "created",
                            type: SQLColumnType("TIMESTAMP(3)", family: .dateTime),
                            default: .currentTimestamp
                        ),
                        SQLColumn(name: "name", type: Self.text, default: .literal(.string(#"it's "quoted" \ here"#))),
                        SQLColumn(name: "n", type: Self.integer, default: .literal(.number("-1"))),
                        SQLColumn(
                            name: "f",
                            type: SQLColumnType("DOUBLE PRECISION", family: .float),
                            default: .literal(.number("0.5"))
                        ),
                        SQLColumn(
                            name: "d",
                            type: SQLColumnType("DECIMAL(65,30)", family: .decimal),
                            default: .literal(.number("12.50"))
                        ),
                        SQLColumn(
                            name: "flag",
                            type: SQLColumnType("BOOLEAN", family: .boolean),
                            default: .literal(.boolean(false))
                        ),
                        SQLColumn(
                            name: "role",
                            type: SQLColumnType("Role", family: .enum("Role")),
                            default: .literal(.string("power user"))
                        ),
                        SQLColumn(
                            name: "u",
                            type: SQLColumnType("UUID", family: .string),
                            default: .expression("gen_random_uuid()")
                        ),
                        SQLColumn(
                            name: "tags",
                            type: SQLColumnType("TEXT[]", family: .string, isArray: true),
                            isNullable: true,
                            default: .literal(.array([.string("a"), .string("b")]))
                        ),
                        SQLColumn(
                            name: "meta",
                            type: SQLColumnType("JSONB", family: .json),
                            default: .literal(.string(#"{"a": 1}"#))
                        ),
                        SQLColumn(
                            name: "geo",
                            type: SQLColumnType("point", family: .unsupported),
                            isNullable: true,
                            default: .expression("point(0, 0)")
                        ),
                    ],
                    primaryKey: Self.key("t")
                )
            ],
            enums: [SQLEnum(name: "Role", values: ["power user", "admin"])]
        )
        let text = try Self.expectRoundTrip(schema, .postgres)
        Self.expectLines(
            [
                "id Int @id @default(autoincrement())",
                "created DateTime @default(now())",
                #"name String @default("it's \"quoted\" \\ here")"#,
                "n Int @default(-1)",
                "f Float @default(0.5)",
                "d Decimal @default(12.50)",
                "flag Boolean @default(false)",
                "role Role @default(power_user)",
                #"u String @default(dbgenerated("gen_random_uuid()")) @db.Uuid"#,
                #"tags String[] @default(["a", "b"])"#,
                #"meta Json @default("{\"a\": 1}")"#,
                #"geo Unsupported("point")? @default(dbgenerated("point(0, 0)"))"#,
            ],
            in: text
        )
    }

    @Test func defaultsThatAreNotConstantsOfTheFieldTypeAreDbGenerated() throws {
        let table = SQLTable(
            name: "t",
            columns: [
                SQLColumn(name: "id", type: Self.integer, isAutoIncrement: true),
                SQLColumn(
                    name: "flag",
                    type: SQLColumnType("BOOLEAN", family: .boolean),
                    default: .literal(.number("1"))
                ),
                SQLColumn(name: "stamp", type: Self.text, default: .currentTimestamp),
                SQLColumn(name: "lower", type: Self.text, isNullable: true, default: .expression("lower('X')")),
            ],
            primaryKey: SQLPrimaryKey(name: nil, columns: ["id"])
        )
        let text = try Self.pulled(SQLSchema(tables: [table]), .sqlite).text
        Self.expectLines(
            [
                "id Int @id @default(autoincrement())",
                "flag Boolean @default(true)",
                #"stamp String @default(dbgenerated("CURRENT_TIMESTAMP"))"#,
                #"lower String? @default(dbgenerated("lower('X')"))"#,
            ],
            in: text
        )
    }

    // MARK: - Keys and indexes

    @Test func keysAndIndexesGetMapOnlyForUnconventionalNames() throws {
        let schema = SQLSchema(
            tables: [
                SQLTable(
                    name: "item",
                    columns: [
                        SQLColumn(name: "shop", type: Self.integer),
                        SQLColumn(name: "code", type: Self.text),
                        SQLColumn(name: "title", type: Self.text),
                        SQLColumn(name: "sku", type: Self.text),
                        SQLColumn(name: "created", type: SQLColumnType("TIMESTAMP(3)", family: .dateTime)),
                    ],
                    primaryKey: SQLPrimaryKey(name: "item_identity", columns: ["shop", "code"]),
                    uniques: [
                        SQLUnique(name: "item_sku_key", columns: ["sku"]),
                        SQLUnique(name: "one_title_per_shop", columns: ["shop", "title"]),
                    ],
                    indexes: [
                        SQLIndex(
                            name: "item_title_created_idx",
                            columns: [SQLIndex.Column("title", sort: .descending), SQLIndex.Column("created")]
                        ),
                        SQLIndex(name: "item_code_hash", columns: [SQLIndex.Column("code")], method: "hash"),
                    ]
                ),
                SQLTable(
                    name: "single",
                    columns: [SQLColumn(name: "id", type: Self.text)],
                    primaryKey: SQLPrimaryKey(name: "single_id", columns: ["id"])
                ),
            ]
        )
        let text = try Self.expectRoundTrip(schema, .postgres)
        Self.expectLines(
            [
                "sku String @unique",
                #"@@id([shop, code], map: "item_identity")"#,
                #"@@unique([shop, title], map: "one_title_per_shop")"#,
                "@@index([title(sort: Desc), created])",
                #"@@index([code], map: "item_code_hash", type: Hash)"#,
                #"id String @id(map: "single_id")"#,
            ],
            in: text
        )
    }

    @Test func indexesTheSchemaCannotExpressAreLeftOutWithAWarning() throws {
        let table = SQLTable(
            name: "t",
            columns: [Self.serial("t"), SQLColumn(name: "email", type: Self.text)],
            primaryKey: Self.key("t"),
            indexes: [
                SQLIndex(name: "t_lower_email", columns: [SQLIndex.Column("lower(email)")], isUnique: true),
                SQLIndex(name: "t_email_desc", columns: [SQLIndex.Column("email", sort: .descending)], isUnique: true),
            ]
        )
        let result = try Self.pulled(SQLSchema(tables: [table]), .postgres)
        Self.expectLines([#"@@unique([email(sort: Desc)], map: "t_email_desc")"#], in: result.text)
        #expect(!result.text.contains("lower"))
        #expect(result.warnings.contains { $0.contains("t_lower_email") && $0.contains("expressions") })
    }

    @Test func tableWithoutAnyUniqueCriterionIsIgnoredWithAnExplanation() throws {
        let schema = SQLSchema(
            tables: [
                SQLTable(
                    name: "log",
                    columns: [
                        SQLColumn(name: "message", type: Self.text),
                        SQLColumn(name: "ref", type: Self.text, isNullable: true),
                    ],
                    uniques: [SQLUnique(name: "log_ref_key", columns: ["ref"])]
                ),
                SQLTable(
                    name: "keyed",
                    columns: [SQLColumn(name: "code", type: Self.text)],
                    uniques: [SQLUnique(name: "keyed_code_key", columns: ["code"])]
                ),
            ]
        )
        let result = try Self.pulled(schema, .postgres)
        Self.expectLines(["model log {", "@@ignore", "ref String? @unique", "code String @unique"], in: result.text)
        let lines = Self.lines(result.text)
        let model = try #require(lines.firstIndex(of: "model log {"))
        #expect(lines[model - 1].hasPrefix("///"), "\(result.text)")
        #expect(lines.filter { $0 == "@@ignore" }.count == 1)
        #expect(result.warnings.contains { $0.contains("log") && $0.contains("@@ignore") })
        // Lowering keeps ignored models (Prisma creates them), so the table is never planned as a drop.
        let lowered = SchemaLowering.lower(SchemaCheck(text: result.text).schema, dialect: .postgres)
        #expect(lowered.tables.map(\.name) == ["keyed", "log"])
    }

    // MARK: - Relations

    /// Users with a manager (self relation), a profile (1-1), posts with an author and an
    /// editor (two relations between the same models), tags (an implicit m-n join table).
    static var blog: SQLSchema {
        SQLSchema(tables: [
            SQLTable(
                name: "User",
                columns: [
                    serial("User"), SQLColumn(name: "managerId", type: integer, isNullable: true),
                ],
                primaryKey: key("User"),
                foreignKeys: [foreignKey("User", ["managerId"], to: "User", onDelete: .setNull)]
            ),
            SQLTable(
                name: "Profile",
                columns: [serial("Profile"), SQLColumn(name: "userId", type: integer)],
                primaryKey: key("Profile"),
                uniques: [SQLUnique(name: "Profile_userId_key", columns: ["userId"])],
                foreignKeys: [foreignKey("Profile", ["userId"], to: "User", onDelete: .cascade)]
            ),
            SQLTable(
                name: "Post",
                columns: [
                    serial("Post"), SQLColumn(name: "authorId", type: integer),
                    SQLColumn(name: "editorId", type: integer, isNullable: true),
                ],
                primaryKey: key("Post"),
                foreignKeys: [
                    foreignKey("Post", ["authorId"], to: "User"),
                    foreignKey("Post", ["editorId"], to: "User", onDelete: .noAction, name: "post_editor"),
                ]
            ),
            SQLTable(name: "Tag", columns: [serial("Tag")], primaryKey: key("Tag")),
            SQLTable(
                name: "_PostToTag",
                columns: [SQLColumn(name: "A", type: integer), SQLColumn(name: "B", type: integer)],
                primaryKey: SQLPrimaryKey(name: "_PostToTag_AB_pkey", columns: ["A", "B"]),
                indexes: [SQLIndex(name: "_PostToTag_B_index", columns: [SQLIndex.Column("B")])],
                foreignKeys: [
                    foreignKey("_PostToTag", ["A"], to: "Post", onDelete: .cascade),
                    foreignKey("_PostToTag", ["B"], to: "Tag", onDelete: .cascade),
                ]
            ),
        ])
    }

    @Test func foreignKeysBecomeRelationsWithBothSides() throws {
        let text = try Self.expectRoundTrip(Self.blog, .postgres)
        Self.expectLines(
            [
                // 1-n, twice between Post and User: named, and the back fields say which.
                #"author User @relation("Post_author", fields: [authorId], references: [id])"#,
                #"editor User? @relation("Post_editor", fields: [editorId], references: [id], onDelete: NoAction, map: "post_editor")"#,
                #"Post_author Post[] @relation("Post_author")"#,
                #"Post_editor Post[] @relation("Post_editor")"#,
                // Self relation: always named; SetNull is the default for an optional relation.
                #"manager User? @relation("User_manager", fields: [managerId], references: [id])"#,
                #"User_manager User[] @relation("User_manager")"#,
                // 1-1: the foreign key is unique, so the other side is optional, not a list.
                "user User @relation(fields: [userId], references: [id], onDelete: Cascade)",
                "Profile Profile?",
                // The join table is a relation, not a model.
                "Tag Tag[]",
                "Post Post[]",
            ],
            in: text
        )
        #expect(!text.contains("model PostToTag"))
        #expect(!text.contains("_PostToTag"))
    }

    /// A database Prisma 5 made (`_AB_unique`, no key) still pulls as a relation; lowering then
    /// gives Prisma 6's key, which is the upgrade migration.
    @Test func prismaFiveJoinTableOnPostgresIsStillARelation() throws {
        var schema = Self.blog
        let join = try #require(schema.tables.firstIndex { $0.name == "_PostToTag" })
        schema.tables[join].primaryKey = nil
        schema.tables[join].uniques = [SQLUnique(name: "_PostToTag_AB_unique", columns: ["A", "B"])]
        let text = try Self.pulled(schema, .postgres).text
        #expect(!text.contains("_PostToTag"))
        let lowered = SchemaLowering.lower(SchemaCheck(text: text).schema, dialect: .postgres)
        #expect(lowered.table("_PostToTag")?.primaryKey?.name == "_PostToTag_AB_pkey")
    }

    @Test func joinTableWhoseColumnsDoNotFollowTheModelOrderIsAModel() throws {
        // Lowering would point column A at `Apple` (it sorts first), so this table is explicit.
        let schema = SQLSchema(tables: [
            SQLTable(name: "Apple", columns: [Self.serial("Apple")], primaryKey: Self.key("Apple")),
            SQLTable(name: "Zebra", columns: [Self.serial("Zebra")], primaryKey: Self.key("Zebra")),
            SQLTable(
                name: "_Link",
                columns: [SQLColumn(name: "A", type: Self.integer), SQLColumn(name: "B", type: Self.integer)],
                uniques: [SQLUnique(name: "_Link_AB_unique", columns: ["A", "B"])],
                indexes: [SQLIndex(name: "_Link_B_index", columns: [SQLIndex.Column("B")])],
                foreignKeys: [
                    Self.foreignKey("_Link", ["A"], to: "Zebra", onDelete: .cascade),
                    Self.foreignKey("_Link", ["B"], to: "Apple", onDelete: .cascade),
                ]
            ),
        ])
        let text = try Self.expectRoundTrip(schema, .postgres)
        Self.expectLines(
            [
                "model Link {",
                #"@@map("_Link")"#,
                #"@@unique([A, B], map: "_Link_AB_unique")"#,
                #"@@index([B], map: "_Link_B_index")"#,
                "Zebra Zebra @relation(fields: [A], references: [id], onDelete: Cascade)",
                "Link Link[]",
            ],
            in: text
        )
    }

    @Test func selfManyToManyAndCustomRelationNamesKeepTheirJoinTable() throws {
        let join = { (name: String) in
            SQLTable(
                name: name,
                columns: [SQLColumn(name: "A", type: Self.integer), SQLColumn(name: "B", type: Self.integer)],
                primaryKey: SQLPrimaryKey(name: "\(name)_AB_pkey", columns: ["A", "B"]),
                indexes: [SQLIndex(name: "\(name)_B_index", columns: [SQLIndex.Column("B")])],
                foreignKeys: [
                    Self.foreignKey(name, ["A"], to: "Person", onDelete: .cascade),
                    Self.foreignKey(name, ["B"], to: "Person", onDelete: .cascade),
                ]
            )
        }
        let schema = SQLSchema(tables: [
            SQLTable(name: "Person", columns: [Self.serial("Person")], primaryKey: Self.key("Person")),
            join("_friends"), join("_follows"),
        ])
        let text = try Self.expectRoundTrip(schema, .postgres)
        Self.expectLines(
            [
                #"friends_A Person[] @relation("friends")"#,
                #"friends_B Person[] @relation("friends")"#,
                #"follows_A Person[] @relation("follows")"#,
                #"follows_B Person[] @relation("follows")"#,
            ],
            in: text
        )
    }

    @Test func foreignKeysTheSchemaCannotExpressAreLeftOutWithAWarning() throws {
        let schema = SQLSchema(tables: [
            SQLTable(
                name: "a",
                columns: [Self.serial("a"), SQLColumn(name: "code", type: Self.text)],
                primaryKey: Self.key("a")
            ),
            SQLTable(
                name: "b",
                columns: [
                    Self.serial("b"), SQLColumn(name: "aCode", type: Self.text),
                    SQLColumn(name: "aId", type: SQLColumnType("BIGINT", family: .bigInt)),
                ],
                primaryKey: Self.key("b"),
                foreignKeys: [
                    // References a column that is not unique (SQLite allows it).
                    Self.foreignKey("b", ["aCode"], to: "a", ["code"]),
                    // Different types on the two ends.
                    Self.foreignKey("b", ["aId"], to: "a"),
                    // A table that is not there.
                    Self.foreignKey("b", ["aId"], to: "gone", name: "b_gone_fkey"),
                ]
            ),
        ])
        let result = try Self.pulled(schema, .postgres)
        #expect(!result.text.contains("@relation"))
        #expect(result.warnings.count == 3, "\(result.warnings)")
        #expect(result.warnings.contains { $0.contains("not unique") })
        #expect(result.warnings.contains { $0.contains("different types") })
        #expect(result.warnings.contains { $0.contains("gone") })
    }

    @Test func severalSchemasGetSchemaAttributesAndTheDatasourceListsThem() throws {
        let schema = SQLSchema(
            tables: [
                SQLTable(name: "user", schema: "public", columns: [Self.serial("user")], primaryKey: Self.key("user")),
                SQLTable(
                    name: "invoice",
                    schema: "billing",
                    columns: [
                        Self.serial("invoice"), SQLColumn(name: "userId", type: Self.integer),
                        SQLColumn(name: "plan", type: SQLColumnType("Plan", family: .enum("Plan"))),
                    ],
                    primaryKey: Self.key("invoice"),
                    foreignKeys: [
                        SQLForeignKey(
                            name: "invoice_userId_fkey",
                            columns: ["userId"],
                            referencedTable: "user",
                            referencedSchema: "public",
                            referencedColumns: ["id"],
                            onDelete: .restrict,
                            onUpdate: .cascade
                        )
                    ]
                ),
            ],
            enums: [SQLEnum(name: "Plan", schema: "billing", values: ["FREE", "PRO"])]
        )
        let text = try Self.expectRoundTrip(schema, .postgres)
        Self.expectLines(
            [
                #"schemas = ["billing", "public"]"#, #"@@schema("billing")"#, #"@@schema("public")"#,
                "user user @relation(fields: [userId], references: [id])", "plan Plan",
            ],
            in: text
        )
    }

    // MARK: - Keeping an existing file

    @Test func existingFileKeepsItsHeaderAndCommentsAndLosesItsModels() throws {
        let existing = """
            // The project's schema.

            generator client {
              provider = "prisma-client-js"
              output   = "../generated"
            }

            /// The main database.
            datasource pg {
              provider = "postgresql"
              url      = env("PRIMARY_URL")
            }

            // An old model that is gone from the database.
            model Old {
              id Int @id
            }

            enum Gone {
              A
            }
            """
        let table = SQLTable(
            name: "fresh",
            columns: [
                Self.serial("fresh"), SQLColumn(name: "name", type: SQLColumnType("VARCHAR(10)", family: .string)),
            ],
            primaryKey: Self.key("fresh")
        )
        let result = try SchemaPull.pull(
            SQLSchema(tables: [table]),
            dialect: .postgres,
            into: SchemaSource(path: "schema.prisma", text: existing)
        )
        #expect(
            result.text == """
                // The project's schema.

                generator client {
                  provider = "prisma-client-js"
                  output   = "../generated"
                }

                /// The main database.
                datasource pg {
                  provider = "postgresql"
                  url      = env("PRIMARY_URL")
                }

                model fresh {
                  id   Int    @id @default(autoincrement())
                  name String @pg.VarChar(10)
                }

                """
        )
        #expect(SchemaCheck(text: result.text).isValid)
    }

    @Test func installedExtensionsAreWrittenWhenThePreviewFeatureIsOn() throws {
        let header = """
            generator client {
              provider        = "prisma-client-js"
              previewFeatures = ["postgresqlExtensions"]
            }

            datasource db {
              provider   = "postgresql"
              url        = env("DATABASE_URL")
              extensions = [
                hstore,
              ]
            }
            """
        let table = SQLTable(name: "fresh", columns: [Self.serial("fresh")], primaryKey: Self.key("fresh"))
        let database = SQLSchema(
            tables: [table],
            extensions: ["citext", SQLExtension("pgcrypto", schema: "extensions"), "uuid-ossp"]
        )
        let result = try SchemaPull.pull(
            database,
            dialect: .postgres,
            into: SchemaSource(path: "s.prisma", text: header)
        )
        #expect(
            result.text.contains(
                #"extensions = [citext, pgcrypto(schema: "extensions"), uuid_ossp(map: "uuid-ossp")]"#
            ),
            "\(result.text)"
        )
        #expect(!result.text.contains("hstore"), "the old list is replaced")
        #expect(SchemaCheck(text: result.text).isValid, "\(result.text)")
        // Lowering the pulled schema asks for the extensions the database has.
        let lowered = SchemaLowering.lower(SchemaCheck(text: result.text).schema, dialect: .postgres)
        #expect(lowered.extensions == database.extensions)

        let withoutPreview = header.replacingOccurrences(of: #"previewFeatures = ["postgresqlExtensions"]"#, with: "")
            .replacingOccurrences(of: "extensions = [\n    hstore,\n  ]", with: "")
        let plain = try SchemaPull.pull(
            database,
            dialect: .postgres,
            into: SchemaSource(path: "s.prisma", text: withoutPreview)
        )
        #expect(!plain.text.contains("extensions"), "without the preview feature the property would not validate")
    }

    @Test func existingFileThatDoesNotFitIsRefused() {
        #expect(throws: SchemaPull.Failure.self) {
            try SchemaPull.pull(SQLSchema(), dialect: .sqlite, into: SchemaSource(path: "s.prisma", text: "model {"))
        }
        let postgres = "datasource db {\n  provider = \"postgresql\"\n}\n"
        do {
            _ = try SchemaPull.pull(SQLSchema(), dialect: .sqlite, into: SchemaSource(path: "s.prisma", text: postgres))
            Issue.record("a PostgreSQL schema took a SQLite database")
        } catch {
            #expect(error.description.contains("provider = \"postgresql\""))
        }
    }

    @Test func existingFileWithoutDatasourceGetsOne() throws {
        let result = try SchemaPull.pull(
            SQLSchema(),
            dialect: .sqlite,
            into: SchemaSource(path: "s.prisma", text: "generator client {\n  provider = \"prisma-client-js\"\n}\n")
        )
        Self.expectLines(["datasource db {", "provider = \"sqlite\"", "url = env(\"DATABASE_URL\")"], in: result.text)
        #expect(result.modelCount == 0)
    }

    /// Re-introspection: pulling the marketplace's database into its own schema file keeps the
    /// file's model, field, enum and relation names, its client-side defaults and comments, so
    /// the result lowers to exactly what the original file lowers to.
    @Test(arguments: [SQLDialect.postgres, .sqlite])
    func pullingIntoTheMarketplaceSchemaKeepsItsNames(dialect: SQLDialect) throws {
        let original = try LoweringTests.marketplace(dialect)
        var source = try Fixtures.source("valid/marketplace.prisma")
        if dialect == .sqlite {
            source.text = source.text.replacingOccurrences(of: "\"postgresql\"", with: "\"sqlite\"")
        }
        let result = try SchemaPull.pull(original.databaseView, dialect: dialect, into: source)
        let check = SchemaCheck(text: result.text)
        try #require(check.isValid, "\(check.renderedDiagnostics)\n\(result.text)")
        // Not only the database view: the client-side defaults came back too.
        let lowered = SchemaLowering.lower(check.schema, dialect: dialect)
        #expect(
            lowered == original,
            "\(SchemaDifferences.describe(expected: original, actual: lowered))\n\(result.text)"
        )
        Self.expectLines(
            [
                "model User {", #"@@map("users")"#,
                #"referralCode String @unique @map("referral_code")"#,
                #"updatedAt DateTime @updatedAt @map("updated_at")"#,
                "id String @id @default(cuid())",
                #"referredBy User? @relation("UserReferrals", fields: [referredById], references: [id])"#,
                #"referrals User[] @relation("UserReferrals")"#,
                "categories Category[]", "products Product[]", "items OrderItem[]",
                "/// Shared with friends; unique so a code names exactly one user.",
                "/// One line of an order: a product, a quantity and the price paid.",
            ],
            in: result.text
        )
        if dialect == .postgres {
            Self.expectLines(
                ["enum OrderStatus {", #"ADMIN @map("admin")"#, "id String @id @default(uuid()) @db.Uuid"],
                in: result.text
            )
        } else {
            Self.expectLines([#"status String @default("PENDING")"#, "tags String?"], in: result.text)
        }
    }

    // MARK: - The marketplace, as a golden file

    @Test func marketplacePullMatchesTheGoldenFile() throws {
        for (dialect, file) in [
            (SQLDialect.postgres, "marketplace.postgres.prisma"), (.sqlite, "marketplace.sqlite.prisma"),
        ] {
            let text = try Self.expectRoundTrip(try LoweringTests.marketplace(dialect).databaseView, dialect)
            let expected = try Fixtures.text("pull/" + file)
            #expect(text == expected, "pull/\(file) differs; the pulled text is:\n\(text)")
        }
    }
}

/// The sanitizer's rules through the public pull: the model name a table gets.
enum PullNamesProbe {
    static func sanitize(_ table: String) -> String {
        let schema = SQLSchema(tables: [
            SQLTable(
                name: table,
                columns: [SQLColumn(name: "id", type: PullTests.integer)],
                primaryKey: SQLPrimaryKey(name: nil, columns: ["id"])
            )
        ])
        let text = SchemaPull.render(schema, dialect: .sqlite)
        let line = text.split(separator: "\n").first { $0.hasPrefix("model ") } ?? ""
        return String(line.dropFirst("model ".count).dropLast(2))
    }
}

// MARK: - Round trips through real databases

/// The issue's round trip: lower the marketplace, create it in an empty database, introspect,
/// pull, parse and validate, lower again, and the model is the one introspected; pulling that
/// model once more gives the same text.
enum PullRoundTrip {
    /// `expected` is what lowering the pulled text should give when it is not `introspected`.
    static func check(_ introspected: SQLSchema, _ dialect: SQLDialect, expected: SQLSchema? = nil) throws {
        let pulled = SchemaPull.pull(introspected, dialect: dialect)
        let check = SchemaCheck(text: pulled.text)
        try #require(check.isValid, "\(check.renderedDiagnostics)\n\(pulled.text)")
        #expect(pulled.warnings.isEmpty, "\(pulled.warnings)")
        let lowered = SchemaLowering.lower(check.schema, dialect: dialect).databaseView
        let expected = expected ?? introspected
        #expect(
            lowered == expected,
            "\(SchemaDifferences.describe(expected: expected, actual: lowered))\n\(pulled.text)"
        )
        #expect(SchemaPull.render(lowered, dialect: dialect) == pulled.text)
    }
}

@Suite("Pull round trip on PostgreSQL", .enabled(if: PostgresAvailability.shouldRun))
struct PostgresPullTests {
    @Test func marketplaceRoundTrips() async throws {
        let lowered = try LoweringTests.marketplace(.postgres).databaseView
        let introspected = try await PostgresIntrospectionTests.withDatabase("pull_marketplace") { session in
            for statement in TestDDL.statements(for: lowered, dialect: .postgres) {
                try await session.execute(statement, [])
            }
            return try await PostgresIntrospector().introspect(session)
        }
        #expect(introspected.tables.count == 9)
        try PullRoundTrip.check(introspected, .postgres)
        #expect(
            SchemaPull.render(introspected, dialect: .postgres)
                == (try Fixtures.text("pull/marketplace.postgres.prisma"))
        )
    }

    /// A database written by hand, not by Prisma: PostgreSQL's own constraint names happen to
    /// be Prisma's, so no `map:` appears; what the schema cannot hold is reported.
    @Test func handWrittenDatabase() async throws {
        let introspected = try await PostgresIntrospectionTests.withDatabase("pull_hand") { session in
            for statement in [
                "CREATE TYPE mood AS ENUM ('happy', 'so-so')",
                "CREATE TABLE authors (id serial PRIMARY KEY, name varchar(100) NOT NULL, mood mood DEFAULT 'so-so')",
                """
                CREATE TABLE books (id bigserial PRIMARY KEY,
                    author_id int NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
                    title text NOT NULL, published date, price numeric(8,2), UNIQUE (author_id, title))
                """,
                "CREATE INDEX books_title_lower ON books (lower(title))",
                #"CREATE TABLE "audit log" (at timestamptz NOT NULL DEFAULT now(), message text)"#,
            ] {
                try await session.execute(statement, [])
            }
            return try await PostgresIntrospector().introspect(session)
        }
        let pulled = SchemaPull.pull(introspected, dialect: .postgres)
        let check = SchemaCheck(text: pulled.text)
        try #require(check.isValid, "\(check.renderedDiagnostics)\n\(pulled.text)")
        PullTests.expectLines(
            [
                "model authors {", "id Int @id @default(autoincrement())", "name String @db.VarChar(100)",
                "mood mood? @default(so_so)", "books books[]",
                "model books {", "id BigInt @id @default(autoincrement())",
                "author_id Int", "published DateTime? @db.Date", "price Decimal? @db.Decimal(8, 2)",
                // PostgreSQL's own default is NO ACTION on update, not Prisma's CASCADE.
                "author authors @relation(fields: [author_id], references: [id], onDelete: Cascade, onUpdate: NoAction)",
                "@@unique([author_id, title])",
                "model audit_log {", "at DateTime @default(now()) @db.Timestamptz", #"@@map("audit log")"#, "@@ignore",
                "enum mood {", "happy", #"so_so @map("so-so")"#,
            ],
            in: pulled.text
        )
        #expect(pulled.warnings.count == 2, "\(pulled.warnings)")
        // Lowering gives back every table, the ignored one too; the expression index is kept
        // outside the tables (the schema cannot say it).
        #expect(introspected.kept.map(\.name) == ["books_title_lower"])
        var expected = introspected
        expected.kept = []
        let books = try #require(expected.tables.firstIndex { $0.name == "books" })
        expected.tables[books].indexes = []
        let lowered = SchemaLowering.lower(check.schema, dialect: .postgres).databaseView
        #expect(lowered == expected, "\(SchemaDifferences.describe(expected: expected, actual: lowered))")
    }
}

@Suite("Pull round trip on SQLite")
struct SQLitePullTests {
    @Test func marketplaceRoundTrips() async throws {
        let lowered = try LoweringTests.marketplace(.sqlite).databaseView
        let introspected = try await SQLiteIntrospectionTests.withDatabase { session in
            for statement in TestDDL.statements(for: lowered, dialect: .sqlite) {
                try await session.execute(statement, [])
            }
            return try await SQLiteIntrospector().introspect(session)
        }
        #expect(introspected.tables.count == 9)
        // `Order.id` reads back as an `INTEGER` (`Int`), but `order_items.orderId` is a
        // `BIGINT` referencing it: pull makes the key a `BigInt` again so the relation holds,
        // and lowering gives the lowered model's family back.
        #expect(introspected.table("Order")?.column("id")?.type == SQLColumnType("INTEGER", family: .int))
        try PullRoundTrip.check(introspected, .sqlite, expected: lowered)
        #expect(
            SchemaPull.render(introspected, dialect: .sqlite) == (try Fixtures.text("pull/marketplace.sqlite.prisma"))
        )
    }
}
