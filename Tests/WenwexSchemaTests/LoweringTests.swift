import Foundation
import Testing
import WenwexSQL
import WenwexSchema

/// Lowering `schema.prisma` to the SQL schema model with Prisma's names, types and defaults,
/// so a database Prisma created compares equal to what Wenwex lowers.
@Suite("Lowering")
struct LoweringTests {
    static func lower(fixture: String, dialect: SQLDialect) throws -> SQLSchema {
        let check = SchemaCheck(sources: [try Fixtures.source(fixture)])
        try #require(check.isValid, "\(check.renderedDiagnostics)")
        return SchemaLowering.lower(check.schema, dialect: dialect)
    }

    static func lower(_ text: String, dialect: SQLDialect) throws -> SQLSchema {
        let check = SchemaCheck(text: text)
        try #require(check.isValid, "\(check.renderedDiagnostics)")
        return SchemaLowering.lower(check.schema, dialect: dialect)
    }

    static func marketplace(_ dialect: SQLDialect) throws -> SQLSchema {
        try lower(fixture: "valid/marketplace.prisma", dialect: dialect)
    }

    // MARK: - Marketplace on PostgreSQL

    @Test func marketplaceTablesAreNamedByMapOrModel() throws {
        let schema = try Self.marketplace(.postgres)
        #expect(
            schema.tables.map(\.name) == [
                "Category", "Comment", "Order", "ProductImage", "Profile", "_CategoryToProduct", "order_items",
                "products", "users",
            ]
        )
        #expect(schema.tables.allSatisfy { $0.schema == nil })
    }

    @Test func userKeysAndColumnsOnPostgres() throws {
        let users = try #require(try Self.marketplace(.postgres).table("users"))
        #expect(users.primaryKey == SQLPrimaryKey(name: "users_pkey", columns: ["id"]))
        #expect(
            users.uniques == [
                SQLUnique(name: "users_email_key", columns: ["email"]),
                SQLUnique(name: "users_referral_code_key", columns: ["referral_code"]),
            ]
        )
        #expect(
            users.columns.map(\.name) == [
                "id", "email", "name", "role", "referral_code", "referred_by_id", "created_at", "updated_at",
            ]
        )
        #expect(
            users.column("id")
                == SQLColumn(
                    name: "id",
                    type: SQLColumnType("INTEGER", family: .int),
                    default: .sequence("users_id_seq"),
                    isAutoIncrement: true
                )
        )
        #expect(users.column("email")?.type == SQLColumnType("VARCHAR(255)", family: .string))
        #expect(users.column("email")?.isNullable == false)
        #expect(
            users.column("name")
                == SQLColumn(name: "name", type: SQLColumnType("TEXT", family: .string), isNullable: true)
        )
        #expect(
            users.column("role")
                == SQLColumn(
                    name: "role",
                    type: SQLColumnType("Role", family: .enum("Role")),
                    default: .literal(.string("BUYER"))
                )
        )
        #expect(
            users.column("created_at")
                == SQLColumn(
                    name: "created_at",
                    type: SQLColumnType("TIMESTAMP(3)", family: .dateTime),
                    default: .currentTimestamp
                )
        )
        #expect(users.column("updated_at")?.default == .applicationGenerated("@updatedAt"))
        #expect(users.column("updated_at")?.default?.isDatabaseDefault == false)
    }

    @Test func referralSelfRelationForeignKey() throws {
        let users = try #require(try Self.marketplace(.postgres).table("users"))
        #expect(
            users.foreignKeys == [
                SQLForeignKey(
                    name: "users_referred_by_id_fkey",
                    columns: ["referred_by_id"],
                    referencedTable: "users",
                    referencedColumns: ["id"],
                    onDelete: .setNull,
                    onUpdate: .cascade
                )
            ]
        )
        #expect(users.foreignKeys.first?.onDelete.sql == "SET NULL")
        #expect(users.foreignKeys.first?.onUpdate.sql == "CASCADE")
    }

    @Test func requiredRelationsRestrictDeletesByDefault() throws {
        let schema = try Self.marketplace(.postgres)
        let products = try #require(schema.table("products"))
        #expect(
            products.foreignKey("products_seller_id_fkey")
                == SQLForeignKey(
                    name: "products_seller_id_fkey",
                    columns: ["seller_id"],
                    referencedTable: "users",
                    referencedColumns: ["id"],
                    onDelete: .restrict,
                    onUpdate: .cascade
                )
        )
        let profile = try #require(schema.table("Profile"))
        #expect(profile.foreignKeys.map(\.name) == ["Profile_userId_fkey"])
        #expect(profile.foreignKeys.first?.onDelete == .cascade)
        #expect(profile.uniques == [SQLUnique(name: "Profile_userId_key", columns: ["userId"])])
    }

    @Test func orderItemsCompositePrimaryKeyAndForeignKeys() throws {
        let items = try #require(try Self.marketplace(.postgres).table("order_items"))
        #expect(items.primaryKey == SQLPrimaryKey(name: "order_items_pkey", columns: ["orderId", "productId"]))
        #expect(items.foreignKeys.map(\.name) == ["order_items_orderId_fkey", "order_items_productId_fkey"])
        #expect(items.foreignKey("order_items_orderId_fkey")?.referencedTable == "Order")
        #expect(items.foreignKey("order_items_orderId_fkey")?.onDelete == .cascade)
        #expect(items.foreignKey("order_items_productId_fkey")?.referencedTable == "products")
        #expect(items.foreignKey("order_items_productId_fkey")?.onDelete == .restrict)
        #expect(items.column("productId")?.type.text == "UUID")
    }

    @Test func indexesKeepColumnOrderAndDescendingSort() throws {
        let schema = try Self.marketplace(.postgres)
        #expect(
            schema.table("users")?.indexes == [
                SQLIndex(name: "users_created_at_idx", columns: [SQLIndex.Column("created_at", sort: .descending)])
            ]
        )
        #expect(
            schema.table("products")?.indexes == [
                SQLIndex(name: "products_seller_id_idx", columns: [SQLIndex.Column("seller_id")]),
                SQLIndex(
                    name: "products_title_created_at_idx",
                    columns: [SQLIndex.Column("title", sort: .descending), SQLIndex.Column("created_at")]
                ),
            ]
        )
        #expect(
            schema.table("Order")?.index("Order_buyerId_placedAt_idx")?.columns == [
                SQLIndex.Column("buyerId"), SQLIndex.Column("placedAt", sort: .descending),
            ]
        )
        #expect(
            schema.table("ProductImage")?.uniques == [
                SQLUnique(name: "ProductImage_productId_position_key", columns: ["productId", "position"])
            ]
        )
    }

    /// Prisma 6's join table on PostgreSQL: a primary key over (A, B), no unique index.
    @Test func implicitManyToManyJoinTableOnPostgres() throws {
        let join = try #require(try Self.marketplace(.postgres).table("_CategoryToProduct"))
        let expected = SQLTable(
            name: "_CategoryToProduct",
            columns: [
                SQLColumn(name: "A", type: SQLColumnType("TEXT", family: .string)),
                SQLColumn(name: "B", type: SQLColumnType("UUID", family: .string)),
            ],
            primaryKey: SQLPrimaryKey(name: "_CategoryToProduct_AB_pkey", columns: ["A", "B"]),
            indexes: [SQLIndex(name: "_CategoryToProduct_B_index", columns: [SQLIndex.Column("B")])],
            foreignKeys: [
                SQLForeignKey(
                    name: "_CategoryToProduct_A_fkey",
                    columns: ["A"],
                    referencedTable: "Category",
                    referencedColumns: ["id"],
                    onDelete: .cascade,
                    onUpdate: .cascade
                ),
                SQLForeignKey(
                    name: "_CategoryToProduct_B_fkey",
                    columns: ["B"],
                    referencedTable: "products",
                    referencedColumns: ["id"],
                    onDelete: .cascade,
                    onUpdate: .cascade
                ),
            ]
        )
        #expect(join == expected)
        #expect(join.uniques.isEmpty)
    }

    /// SQLite keeps Prisma 5's form: Prisma 6 changed PostgreSQL only.
    @Test func implicitManyToManyJoinTableOnSQLiteKeepsItsUniqueIndex() throws {
        let join = try #require(try Self.marketplace(.sqlite).table("_CategoryToProduct"))
        #expect(join.primaryKey == nil)
        #expect(join.uniques == [SQLUnique(name: "_CategoryToProduct_AB_unique", columns: ["A", "B"])])
    }

    @Test func enumsArePostgresTypesWithMappedNamesAndValues() throws {
        let schema = try Self.marketplace(.postgres)
        #expect(
            schema.enums == [
                SQLEnum(name: "Role", values: ["BUYER", "SELLER", "admin"]),
                SQLEnum(name: "order_status", values: ["PENDING", "PAID", "SHIPPED", "DELIVERED", "CANCELLED"]),
            ]
        )
        let order = try #require(schema.table("Order"))
        #expect(order.column("status")?.type == SQLColumnType("order_status", family: .enum("order_status")))
        #expect(order.column("status")?.default == .literal(.string("PENDING")))
    }

    @Test func productTypesAndDefaultsOnPostgres() throws {
        let schema = try Self.marketplace(.postgres)
        let products = try #require(schema.table("products"))
        #expect(products.column("id")?.type == SQLColumnType("UUID", family: .string))
        #expect(products.column("id")?.default == .applicationGenerated("uuid()"))
        #expect(products.column("title")?.type.text == "VARCHAR(255)")
        #expect(products.column("description")?.type.text == "TEXT")
        #expect(products.column("price")?.type == SQLColumnType("DECIMAL(10,2)", family: .decimal))
        #expect(products.column("stock")?.default == .literal(.number("0")))
        #expect(
            products.column("tags")
                == SQLColumn(
                    name: "tags",
                    type: SQLColumnType("TEXT[]", family: .string, isArray: true),
                    isNullable: true
                )
        )
        let order = try #require(schema.table("Order"))
        #expect(
            order.column("id")
                == SQLColumn(
                    name: "id",
                    type: SQLColumnType("BIGINT", family: .bigInt),
                    default: .sequence("Order_id_seq"),
                    isAutoIncrement: true
                )
        )
        #expect(order.column("total")?.default == .literal(.number("0")))
        #expect(order.column("placedAt")?.type.text == "TIMESTAMPTZ(3)")
        #expect(schema.table("Comment")?.column("metadata")?.type == SQLColumnType("JSONB", family: .json))
        #expect(schema.table("Comment")?.column("metadata")?.isNullable == true)
        #expect(schema.table("Category")?.column("id")?.default == .applicationGenerated("cuid()"))
    }

    // MARK: - Marketplace on SQLite

    @Test func marketplaceOnSQLite() throws {
        let schema = try Self.marketplace(.sqlite)
        #expect(schema.enums.isEmpty)
        let users = try #require(schema.table("users"))
        #expect(users.primaryKey == SQLPrimaryKey(name: nil, columns: ["id"]))
        #expect(
            users.column("id")
                == SQLColumn(name: "id", type: SQLColumnType("INTEGER", family: .int), isAutoIncrement: true)
        )
        #expect(users.column("email")?.type == SQLColumnType("TEXT", family: .string))
        #expect(users.column("role")?.type == SQLColumnType("TEXT", family: .string))
        #expect(users.column("role")?.default == .literal(.string("BUYER")))
        #expect(users.column("created_at")?.type.text == "DATETIME")
        #expect(users.column("created_at")?.default == .currentTimestamp)
        #expect(users.uniques.map(\.name) == ["users_email_key", "users_referral_code_key"])
        #expect(users.foreignKeys.map(\.name) == ["users_referred_by_id_fkey"])
        #expect(schema.table("products")?.column("price")?.type == SQLColumnType("DECIMAL", family: .decimal))
        #expect(schema.table("Comment")?.column("metadata")?.type.text == "JSONB")
        #expect(schema.table("order_items")?.primaryKey == SQLPrimaryKey(name: nil, columns: ["orderId", "productId"]))
        let join = try #require(schema.table("_CategoryToProduct"))
        #expect(join.columns.map(\.type.text) == ["TEXT", "TEXT"])
        #expect(join.foreignKeys.map(\.name) == ["_CategoryToProduct_A_fkey", "_CategoryToProduct_B_fkey"])
        #expect(join.uniques.map(\.name) == ["_CategoryToProduct_AB_unique"])
    }

    @Test func sqliteScalarTypes() throws {
        let schema = try Self.lower(
            """
            datasource db {
              provider = "sqlite"
            }
            model T {
              id     Int      @id
              big    BigInt
              ratio  Float
              amount Decimal
              flag   Boolean  @default(true)
              at     DateTime
              data   Json
              blob   Bytes
            }
            """,
            dialect: .sqlite
        )
        let table = try #require(schema.table("T"))
        #expect(
            table.columns.map(\.type.text) == [
                "INTEGER", "BIGINT", "REAL", "DECIMAL", "BOOLEAN", "DATETIME", "JSONB", "BLOB",
            ]
        )
        #expect(table.column("flag")?.default == .literal(.boolean(true)))
    }

    // MARK: - Naming, relation mode, skipped blocks

    @Test func mapNamesExplicitConstraintNamesAndNoForeignKeysWithPrismaRelationMode() throws {
        let schema = try Self.lower(fixture: "lowering/naming.prisma", dialect: .postgres)
        // `@@ignore`d models and `@ignore`d fields are created, as Prisma's schema engine does:
        // they hide from the client, not from the database.
        #expect(schema.tables.map(\.name) == ["Hidden", "Tag", "_AuthorTags", "authors", "blog_posts"])
        #expect(schema.tables.allSatisfy { $0.foreignKeys.isEmpty })

        let authors = try #require(schema.table("authors"))
        #expect(authors.columns.map(\.name) == ["author_id", "email_address", "balance", "born", "notes"])
        #expect(authors.primaryKey == SQLPrimaryKey(name: "authors_pkey", columns: ["author_id"]))
        #expect(authors.column("author_id")?.default == .sequence("authors_author_id_seq"))
        #expect(authors.uniques == [SQLUnique(name: "authors_email_unique", columns: ["email_address"])])
        #expect(authors.column("balance")?.type == SQLColumnType("DECIMAL(65,30)", family: .decimal))
        #expect(authors.column("born")?.type == SQLColumnType("TIMESTAMP(3)", family: .dateTime))
        #expect(authors.column("born")?.default == nil)

        let posts = try #require(schema.table("blog_posts"))
        #expect(posts.primaryKey == SQLPrimaryKey(name: "post_primary", columns: ["id"]))
        #expect(posts.column("id")?.isAutoIncrement == false)
        #expect(posts.uniques == [SQLUnique(name: "post_slug", columns: ["slug"])])
        #expect(
            posts.indexes == [
                SQLIndex(
                    name: "blog_posts_author_ref_title_idx",
                    columns: [SQLIndex.Column("author_ref"), SQLIndex.Column("title")]
                ),
                SQLIndex(name: "post_slug_lookup", columns: [SQLIndex.Column("slug")]),
            ]
        )
        #expect(posts.column("body")?.default == .literal(.string("it's empty")))

        let join = try #require(schema.table("_AuthorTags"))
        #expect(join.columns.map(\.type.text) == ["INTEGER", "TEXT"])
        #expect(join.primaryKey == SQLPrimaryKey(name: "_AuthorTags_AB_pkey", columns: ["A", "B"]))
        #expect(join.indexes.map(\.name) == ["_AuthorTags_B_index"])
    }

    @Test func foreignKeysReturnWithoutPrismaRelationMode() throws {
        let text = try Fixtures.text("lowering/naming.prisma").replacingOccurrences(
            of: "relationMode = \"prisma\"",
            with: "relationMode = \"foreignKeys\""
        )
        let schema = try Self.lower(text, dialect: .postgres)
        #expect(
            schema.table("blog_posts")?.foreignKeys == [
                SQLForeignKey(
                    name: "blog_posts_author_ref_fkey",
                    columns: ["author_ref"],
                    referencedTable: "authors",
                    referencedColumns: ["author_id"],
                    onDelete: .restrict,
                    onUpdate: .cascade
                )
            ]
        )
        #expect(
            schema.table("_AuthorTags")?.foreignKeys.map { "\($0.name) \($0.referencedTable)(\($0.referencedColumns))" }
                == [
                    "_AuthorTags_A_fkey authors([\"author_id\"])", "_AuthorTags_B_fkey Tag([\"id\"])",
                ]
        )
    }

    @Test func multiSchemaViewsIgnoredBlocksAndUnsupportedTypes() throws {
        let check = SchemaCheck(sources: [try Fixtures.source("valid/every-construct.prisma")])
        try #require(check.isValid)
        let schema = SchemaLowering.lower(check.schema, dialect: .postgres)
        #expect(
            schema.tables.map { "\($0.schema ?? "-").\($0.name)" } == [
                "audit.AuditEntry", "audit.Legacy", "public.Sample",
            ]
        )
        #expect(schema.enums == [SQLEnum(name: "Level", schema: "public", values: ["LOW", "HIGH"])])
        let sample = try #require(schema.table("Sample"))
        #expect(sample.column("hidden")?.isNullable == true)
        #expect(
            sample.column("location")
                == SQLColumn(name: "location", type: SQLColumnType("point", family: .unsupported), isNullable: true)
        )
        #expect(sample.column("id")?.default == .expression("gen_random_uuid()"))
        #expect(sample.column("short")?.default == .applicationGenerated("nanoid(10)"))
        #expect(sample.column("levels")?.type == SQLColumnType("Level[]", family: .enum("Level"), isArray: true))
        #expect(sample.column("levels")?.default == .literal(.array([.string("LOW"), .string("HIGH")])))
        #expect(sample.column("scores")?.default == .literal(.array([.number("1"), .number("2"), .number("3")])))
        #expect(sample.column("ratio")?.type.text == "REAL")
        #expect(sample.column("amount")?.type.text == "MONEY")
        #expect(sample.column("code")?.type.text == "CHAR(3)")
        #expect(sample.uniques.map(\.name) == ["sample_short_sortable"])
        #expect(sample.index("Sample_data_idx")?.method == "gin")
        #expect(schema.table("AuditEntry")?.column("at")?.type.text == "TIMESTAMP(6)")
    }

    @Test func longNamesAreCutToPostgresLimitKeepingTheSuffix() throws {
        let table = "AVeryLongModelNameThatKeepsGoingAndGoingForeverAndEverAndEver"
        let schema = try Self.lower(
            """
            datasource db {
              provider = "postgresql"
            }
            model \(table) {
              id                                   Int @id @default(autoincrement())
              anotherQuiteLongColumnNameForTesting Int @unique
            }
            """,
            dialect: .postgres
        )
        let lowered = try #require(schema.table(table))
        #expect(lowered.primaryKey?.name == "AVeryLongModelNameThatKeepsGoingAndGoingForeverAndEverAndE_pkey")
        #expect(lowered.uniques.map(\.name) == ["AVeryLongModelNameThatKeepsGoingAndGoingForeverAndEverAndEv_key"])
        #expect(
            lowered.column("id")?.default
                == .sequence("AVeryLongModelNameThatKeepsGoingAndGoingForeverAndEverAn_id_seq")
        )
        #expect(lowered.primaryKey?.name?.utf8.count == 63)
        let sqlite = try Self.lower(
            """
            datasource db {
              provider = "sqlite"
            }
            model \(table) {
              id                                   Int @id
              anotherQuiteLongColumnNameForTesting Int @unique
            }
            """,
            dialect: .sqlite
        )
        #expect(sqlite.table(table)?.uniques.first?.name == "\(table)_anotherQuiteLongColumnNameForTesting_key")
    }

    @Test func optionalRelationsSetNullByDefault() throws {
        let schema = try Self.lower(
            """
            datasource db {
              provider = "sqlite"
            }
            model Team {
              id      Int      @id
              members Member[]
            }
            model Member {
              id     Int   @id
              teamId Int?
              team   Team? @relation(fields: [teamId], references: [id])
            }
            """,
            dialect: .sqlite
        )
        let key = try #require(schema.table("Member")?.foreignKey("Member_teamId_fkey"))
        #expect(key.onDelete == .setNull)
        #expect(key.onUpdate == .cascade)
    }

    @Test func selfManyToManyJoinTableReferencesTheModelTwice() throws {
        let schema = try Self.lower(
            """
            datasource db {
              provider = "postgresql"
            }
            model Person {
              id        BigInt   @id @default(autoincrement())
              followers Person[] @relation("Follows")
              following Person[] @relation("Follows")

              @@map("people")
            }
            """,
            dialect: .postgres
        )
        #expect(schema.tables.map(\.name) == ["_Follows", "people"])
        let join = try #require(schema.table("_Follows"))
        #expect(
            join.columns == [
                SQLColumn(name: "A", type: SQLColumnType("BIGINT", family: .bigInt)),
                SQLColumn(name: "B", type: SQLColumnType("BIGINT", family: .bigInt)),
            ]
        )
        #expect(join.foreignKeys.map(\.referencedTable) == ["people", "people"])
        #expect(join.foreignKeys.map(\.name) == ["_Follows_A_fkey", "_Follows_B_fkey"])
    }

    // MARK: - The model itself

    @Test func modelsCompareEqualWhateverOrderTheyWereBuiltIn() throws {
        let a = SQLUnique(name: "t_a_key", columns: ["a"])
        let b = SQLUnique(name: "t_b_key", columns: ["b"])
        var first = SQLTable(name: "t", uniques: [b, a])
        let second = SQLTable(name: "t", uniques: [a, b])
        #expect(first == second)
        first.uniques.append(SQLUnique(name: "t_0_key", columns: ["c"]))
        #expect(first.uniques.map(\.name) == ["t_0_key", "t_a_key", "t_b_key"])
        #expect(SQLSchema(tables: [second, SQLTable(name: "a")]) == SQLSchema(tables: [SQLTable(name: "a"), second]))
    }

    @Test func modelSurvivesJSONAndDatabaseViewDropsApplicationDefaults() throws {
        let schema = try Self.marketplace(.postgres)
        let data = try JSONEncoder().encode(schema)
        #expect(try JSONDecoder().decode(SQLSchema.self, from: data) == schema)
        let view = schema.databaseView
        #expect(view.table("products")?.column("id")?.default == nil)
        #expect(view.table("users")?.column("created_at")?.default == .currentTimestamp)
        #expect(view != schema)
    }
}
