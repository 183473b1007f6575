import Foundation
import Testing
import WenwexMigrate
import WenwexSQL
import WenwexSchema
import WenwexTestSupport

/// The false drift a Prisma project met when adopted (issue 12), each reproduced on a real
/// PostgreSQL database: the database is built the way Prisma (or a hand-written migration)
/// builds it, and Wenwex must find exactly the difference there is, and nothing else.
// Serialized: the suite shares one PostgreSQL server with every other suite, and its tests
// together would otherwise add a dozen connections to the peak (max_connections is 100).
@Suite("Prisma compatibility on PostgreSQL", .serialized, .enabled(if: PostgresAvailability.shouldRun))
struct PrismaDriftTests {
    static func lower(_ body: String, datasource: String = "", generator: String = "") throws -> SQLSchema {
        try MigrationTestDatabase.lower(
            """
            generator client {
              provider = "prisma-client-js"
              \(generator)
            }

            datasource db {
              provider = "postgresql"
              url      = env("DATABASE_URL")
              \(datasource)
            }

            \(body)
            """,
            .postgres
        )
    }

    static func changes(_ session: any SQLSession, to target: SQLSchema) async throws -> [SchemaChange] {
        SchemaDiffer.changes(from: try await MigrationTestDatabase.introspect(session), to: target)
    }

    // MARK: 1. Enum value order

    @Test func enumValueOrderIsNeverDriftButNewValuesGoWhereTheSchemaPutsThem() async throws {
        try await MigrationTestDatabase.with(.postgres, prefix: "enum_order") { session in
            // Values appended by hand-written migrations in another order than the schema's.
            try await session.execute(#"CREATE TYPE "Role" AS ENUM ('BUYER')"#)
            try await session.execute(#"ALTER TYPE "Role" ADD VALUE 'ADMIN'"#)
            try await session.execute(#"ALTER TYPE "Role" ADD VALUE 'SELLER'"#)
            try await session.execute(
                #"CREATE TABLE "User" ("id" INTEGER NOT NULL, "role" "Role" NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"))"#
            )
            let model = #"model User {\#n  id Int @id\#n  role Role\#n}"#
            let sameValues = try Self.lower("enum Role {\n  ADMIN\n  BUYER\n  SELLER\n}\n" + model)
            #expect(try await Self.changes(session, to: sameValues).isEmpty)
            let reordered = try Self.lower("enum Role {\n  SELLER\n  BUYER\n  ADMIN\n}\n" + model)
            #expect(try await Self.changes(session, to: reordered).isEmpty)

            // A new value is still placed where the schema puts it (before BUYER), in place.
            let added = try Self.lower("enum Role {\n  ADMIN\n  MODERATOR\n  BUYER\n  SELLER\n}\n" + model)
            let database = try await MigrationTestDatabase.introspect(session)
            let script = MigrationPlanner.script(from: database, to: added, dialect: .postgres)
            #expect(script.sql.contains(#"ALTER TYPE "Role" ADD VALUE 'MODERATOR' BEFORE 'BUYER'"#))
            #expect(!script.sql.contains("RENAME TO"))
            try await MigrationScriptRunner.run(script.sql, on: session)
            #expect(
                try await MigrationTestDatabase.introspect(session).enums.first?.values == [
                    "MODERATOR", "BUYER", "ADMIN", "SELLER",
                ]
            )
            #expect(try await Self.changes(session, to: added).isEmpty)
        }
    }

    // MARK: 2. Prisma 6 join tables

    static let manyToMany = """
        model Post {
          id         Int        @id
          categories Category[]
        }

        model Category {
          id    Int    @id
          posts Post[]
        }
        """

    @Test func joinTablesFollowPrismaSixAndAPrismaFiveTableIsUpgradedUsingItsIndex() async throws {
        try await MigrationTestDatabase.with(.postgres, prefix: "join_table") { session in
            // What Prisma 5 migrations left behind.
            for statement in [
                #"CREATE TABLE "Post" ("id" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"))"#,
                #"CREATE TABLE "Category" ("id" INTEGER NOT NULL, CONSTRAINT "Category_pkey" PRIMARY KEY ("id"))"#,
                #"CREATE TABLE "_CategoryToPost" ("A" INTEGER NOT NULL, "B" INTEGER NOT NULL)"#,
                #"CREATE UNIQUE INDEX "_CategoryToPost_AB_unique" ON "_CategoryToPost"("A", "B")"#,
                #"CREATE INDEX "_CategoryToPost_B_index" ON "_CategoryToPost"("B")"#,
                #"ALTER TABLE "_CategoryToPost" ADD CONSTRAINT "_CategoryToPost_A_fkey" FOREIGN KEY ("A") REFERENCES "Category"("id") ON DELETE CASCADE ON UPDATE CASCADE"#,
                #"ALTER TABLE "_CategoryToPost" ADD CONSTRAINT "_CategoryToPost_B_fkey" FOREIGN KEY ("B") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE"#,
                #"INSERT INTO "Post" VALUES (1)"#, #"INSERT INTO "Category" VALUES (1)"#,
                #"INSERT INTO "_CategoryToPost" VALUES (1, 1)"#,
            ] {
                try await session.execute(statement, [])
            }
            let target = try Self.lower(Self.manyToMany)
            let join = try #require(target.table("_CategoryToPost"))
            #expect(join.primaryKey == SQLPrimaryKey(name: "_CategoryToPost_AB_pkey", columns: ["A", "B"]))
            #expect(join.uniques.isEmpty)

            let database = try await MigrationTestDatabase.introspect(session)
            let changes = SchemaDiffer.changes(from: database, to: target)
            #expect(changes.count == 1, "\(changes)")
            let script = MigrationPlanner.script(from: database, to: target, dialect: .postgres).sql
            #expect(
                script.contains(
                    #"ALTER TABLE "_CategoryToPost" ADD CONSTRAINT "_CategoryToPost_AB_pkey" PRIMARY KEY USING INDEX "_CategoryToPost_AB_unique""#
                ),
                "\(script)"
            )
            #expect(!script.contains("DROP INDEX"))
            try await MigrationScriptRunner.run(script, on: session)
            #expect(try await Self.changes(session, to: target).isEmpty)
            #expect(try await session.queryText(#"SELECT count(*)::text FROM "_CategoryToPost""#).first == ["1"])
        }
    }

    @Test func aJoinTableMadeFromTheSchemaHasPrismaSixKeyAndNoDrift() async throws {
        try await MigrationTestDatabase.with(.postgres, prefix: "join_table_new") { session in
            let target = try Self.lower(Self.manyToMany)
            let script = MigrationPlanner.script(from: SQLSchema(), to: target, dialect: .postgres).sql
            #expect(
                script.contains(#"CONSTRAINT "_CategoryToPost_AB_pkey" PRIMARY KEY ("A","B")"#)
                    || script.contains(#"CONSTRAINT "_CategoryToPost_AB_pkey" PRIMARY KEY ("A", "B")"#),
                "\(script)"
            )
            try await MigrationScriptRunner.run(script, on: session)
            #expect(try await Self.changes(session, to: target).isEmpty)
        }
    }

    // MARK: 3. A single value where a list is expected

    @Test func aSingleFieldStandsForAListWhereverPrismaCoercesIt() async throws {
        let single = """
            model User {
              id    Int    @id
              email String
              posts Post[]

              @@unique(email)
              @@index(email, map: "User_email_lookup")
            }

            model Post {
              id     Int  @id
              userId Int
              user   User @relation(fields: userId, references: id)

              @@index(userId)
            }
            """
        let listed = single.replacingOccurrences(of: "@@unique(email)", with: "@@unique([email])")
            .replacingOccurrences(of: "@@index(email,", with: "@@index([email],")
            .replacingOccurrences(of: "fields: userId, references: id", with: "fields: [userId], references: [id]")
            .replacingOccurrences(of: "@@index(userId)", with: "@@index([userId])")
        let target = try Self.lower(single)
        #expect(target == (try Self.lower(listed)))
        try await MigrationTestDatabase.with(.postgres, prefix: "single_value") { session in
            try await MigrationScriptRunner.run(
                MigrationPlanner.script(from: SQLSchema(), to: target, dialect: .postgres).sql,
                on: session
            )
            let database = try await MigrationTestDatabase.introspect(session)
            #expect(database.table("Post")?.index("Post_userId_idx") != nil)
            #expect(SchemaDiffer.changes(from: database, to: target).isEmpty)
        }
    }

    // MARK: 5. Every schema Prisma accepts comes up on an empty database

    @Test func extensionsAndOperatorClassesRenderToSQLThatApplies() async throws {
        let target = try Self.lower(
            """
            model Post {
              id    Int      @id
              email String   @db.Citext
              title String
              tags  String[]
              data  Json

              @@index([title(ops: raw("gin_trgm_ops"))], type: Gin)
              @@index([tags], type: Gin)
              @@index([data(ops: JsonbPathOps)], type: Gin)
              @@index([title(sort: Desc)], map: "Post_title_desc")
              @@index([id], type: Hash)
            }
            """,
            datasource: #"extensions = [citext, pg_trgm, pgcrypto(schema: "extensions")]"#,
            generator: #"previewFeatures = ["postgresqlExtensions"]"#
        )
        #expect(target.extensions == ["citext", "pg_trgm", SQLExtension("pgcrypto", schema: "extensions")])
        let script = MigrationPlanner.script(from: SQLSchema(), to: target, dialect: .postgres).sql
        #expect(script.contains(#"CREATE EXTENSION IF NOT EXISTS "citext""#))
        #expect(script.contains(#"CREATE EXTENSION IF NOT EXISTS "pgcrypto" WITH SCHEMA "extensions""#), "\(script)")
        #expect(script.contains(#"USING GIN ("title" gin_trgm_ops)"#), "\(script)")
        #expect(script.contains(#"("data" jsonb_path_ops)"#), "\(script)")
        try await MigrationTestDatabase.with(.postgres, prefix: "extensions") { session in
            try await MigrationScriptRunner.run(script, on: session)
            let changes = try await Self.changes(session, to: target)
            #expect(changes.isEmpty, "\(changes)")
        }
    }

    @Test func anOperatorClassBringsTheExtensionThatDefinesIt() async throws {
        // Prisma accepts these without `extensions = [...]` (a real project's schema does just
        // that, its migrations having created pg_trgm by hand); from an empty database the
        // indexes can only be built once the extensions are in.
        let target = try Self.lower(
            """
            model Recipient {
              id    Int    @id
              email String
              count Int

              @@index([email(ops: raw("gin_trgm_ops"))], map: "Recipient_email_trgm_idx", type: Gin)
              @@index([count(ops: raw("gist_int4_ops"))], type: Gist)
            }
            """
        )
        #expect(target.extensions.map(\.name) == ["btree_gist", "pg_trgm"])
        let script = MigrationPlanner.script(from: SQLSchema(), to: target, dialect: .postgres).sql
        #expect(script.contains(#"CREATE EXTENSION IF NOT EXISTS "pg_trgm""#), "\(script)")
        try await MigrationTestDatabase.with(.postgres, prefix: "implied_extensions") { session in
            try await MigrationScriptRunner.run(script, on: session)
            let changes = try await Self.changes(session, to: target)
            #expect(changes.isEmpty, "\(changes)")
        }
    }

    @Test func anExtensionVersionIsInstalledAndUpdatedOnlyWhenTheSchemaNamesOne() async throws {
        let model = "model Post {\n  id Int @id\n}"
        func schema(_ extensions: String) throws -> SQLSchema {
            try Self.lower(
                model,
                datasource: "extensions = [\(extensions)]",
                generator: #"previewFeatures = ["postgresqlExtensions"]"#
            )
        }
        try await MigrationTestDatabase.with(.postgres, prefix: "extension_version") { session in
            let older = try schema(#"pg_trgm(version: "1.5")"#)
            let script = MigrationPlanner.script(from: SQLSchema(), to: older, dialect: .postgres).sql
            #expect(script.contains(#"CREATE EXTENSION IF NOT EXISTS "pg_trgm" VERSION '1.5'"#), "\(script)")
            try await MigrationScriptRunner.run(script, on: session)
            #expect(try await Self.changes(session, to: older).isEmpty)
            // Without `version:` any installed version will do.
            #expect(try await Self.changes(session, to: try schema("pg_trgm")).isEmpty)

            let newer = try schema(#"pg_trgm(version: "1.6")"#)
            let database = try await MigrationTestDatabase.introspect(session)
            #expect(database.extensions == [SQLExtension("pg_trgm", version: "1.5")])
            let update = MigrationPlanner.script(from: database, to: newer, dialect: .postgres).sql
            #expect(update.contains(#"ALTER EXTENSION "pg_trgm" UPDATE TO '1.6'"#), "\(update)")
            try await MigrationScriptRunner.run(update, on: session)
            #expect(try await Self.changes(session, to: newer).isEmpty)
        }
    }

    @Test func operatorClassesNamedOrNotCompareAsTheCatalogMarksThem() async throws {
        // Every class named here but `inet_minmax_ops` is its method's default, which
        // introspection reports as no class at all; `inet_minmax_ops` is BRIN's other class for
        // inet (`inet_inclusion_ops` is the default), so it must survive lowering and apply.
        let target = try Self.lower(
            """
            model Host {
              id      Int      @id
              address String   @db.Inet
              seen    DateTime
              name    String
              count   Int

              @@index([address(ops: InetInclusionOps)], type: Brin, map: "Host_address_brin")
              @@index([address(ops: InetMinMaxOps)], type: Brin, map: "Host_address_minmax")
              @@index([seen(ops: TimestampMinMaxOps)], type: Brin)
              @@index([name(ops: raw("text_ops"))], type: SpGist)
              @@index([count(ops: raw("int4_ops"))], type: Gin, map: "Host_count_gin")
            }
            """,
            datasource: "extensions = [btree_gin]",
            generator: #"previewFeatures = ["postgresqlExtensions"]"#
        )
        let columns = target.table("Host")?.indexes.flatMap(\.columns) ?? []
        #expect(columns.compactMap(\.operatorClass) == ["inet_minmax_ops"], "\(columns)")
        let script = MigrationPlanner.script(from: SQLSchema(), to: target, dialect: .postgres).sql
        try await MigrationTestDatabase.with(.postgres, prefix: "operator_classes") { session in
            try await MigrationScriptRunner.run(script, on: session)
            let changes = try await Self.changes(session, to: target)
            #expect(changes.isEmpty, "\(changes)")
        }
    }

    // MARK: 6. An index that differs only by its name

    @Test func anIndexThatDiffersOnlyByNameIsRenamedNotRebuilt() async throws {
        try await MigrationTestDatabase.with(.postgres, prefix: "index_rename") { session in
            let target = try Self.lower(
                """
                model User {
                  id    Int    @id
                  email String
                  name  String
                  code  String @unique(map: "user_code_unique_constraint_with_a_name_longer_than_postgres_allows_it")

                  @@index([email])
                  @@index([name], map: "user_name_index_with_a_name_much_longer_than_postgres_keeps_it_in_the_catalog")
                }
                """
            )
            // The hand-written migration's names: one another spelling, one cut to 63 bytes by
            // the server (the schema's `map:` is the same text, uncut).
            try await session.execute(
                #"CREATE TABLE "User" ("id" INTEGER NOT NULL, "email" TEXT NOT NULL, "name" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"))"#
            )
            try await session.execute(#"ALTER TABLE "User" ADD COLUMN "code" TEXT NOT NULL"#)
            try await session.execute(
                #"CREATE UNIQUE INDEX "user_code_unique_constraint_with_a_name_longer_than_postgres_allows_it" ON "User"("code")"#
            )
            try await session.execute(#"CREATE INDEX "idx_user_email" ON "User"("email")"#)
            try await session.execute(
                #"CREATE INDEX "user_name_index_with_a_name_much_longer_than_postgres_keeps_it_in_the_catalog" ON "User"("name")"#
            )
            let before = try await session.queryText(
                #"SELECT oid::text FROM pg_class WHERE relname = 'idx_user_email'"#
            )
            let database = try await MigrationTestDatabase.introspect(session)
            let changes = SchemaDiffer.changes(from: database, to: target)
            #expect(changes.count == 1, "\(changes)")
            let script = MigrationPlanner.script(from: database, to: target, dialect: .postgres).sql
            #expect(script.contains(#"ALTER INDEX "idx_user_email" RENAME TO "User_email_idx""#), "\(script)")
            #expect(!script.contains("DROP INDEX") && !script.contains("CREATE INDEX"))
            try await MigrationScriptRunner.run(script, on: session)
            let after = try await session.queryText(#"SELECT oid::text FROM pg_class WHERE relname = 'User_email_idx'"#)
            #expect(after == before)
            #expect(try await Self.changes(session, to: target).isEmpty)
        }
    }

    @Test func namesLongerThanPostgresKeepsCompareAsTheServerCutThem() async throws {
        // A 70-byte `@@map` and a 58-byte relation name: the join table's own name fits, its
        // keys' names (`_AB_pkey`, `_B_index`, `_A_fkey`) do not.
        let table = "customer_account_settings_with_a_table_name_longer_than_postgres_keeps"
        let relation = "ProductsThatTheCustomerMarkedAsFavouritesOnTheCatalogPage"
        let target = try Self.lower(
            """
            model Account {
              id        Int       @id
              favourite Product[] @relation("\(relation)")
              settingWithAColumnNameThatIsAlsoFarLongerThanPostgresKeepsInItsCatalog Int

              @@map("\(table)")
            }

            model Product {
              id   Int       @id
              fans Account[] @relation("\(relation)")
            }
            """
        )
        #expect(table.utf8.count > 63 && ("_" + relation + "_AB_pkey").utf8.count > 63)
        try await MigrationTestDatabase.with(.postgres, prefix: "long_names") { session in
            let script = MigrationPlanner.script(from: SQLSchema(), to: target, dialect: .postgres).sql
            try await MigrationScriptRunner.run(script, on: session)
            let database = try await MigrationTestDatabase.introspect(session)
            #expect(database.table(String(table.prefix(63))) != nil)
            #expect(
                SchemaDiffer.changes(from: database, to: target).isEmpty,
                "\(SchemaDiffer.changes(from: database, to: target))"
            )
        }
    }

    @Test func keysThatDifferOnlyByNameAreRenamedNotRecreated() async throws {
        try await MigrationTestDatabase.with(.postgres, prefix: "key_rename") { session in
            for statement in [
                #"CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "user_pk" PRIMARY KEY ("id"))"#,
                #"CREATE TABLE "Post" ("id" INTEGER NOT NULL, "userId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"))"#,
                #"CREATE INDEX "Post_userId_idx" ON "Post"("userId")"#,
                #"ALTER TABLE "Post" ADD CONSTRAINT "fk_post_user" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE"#,
            ] {
                try await session.execute(statement, [])
            }
            let target = try Self.lower(
                """
                model User {
                  id    Int    @id
                  posts Post[]
                }

                model Post {
                  id     Int  @id
                  userId Int
                  user   User @relation(fields: [userId], references: [id])

                  @@index([userId])
                }
                """
            )
            let database = try await MigrationTestDatabase.introspect(session)
            let script = MigrationPlanner.script(from: database, to: target, dialect: .postgres).sql
            #expect(script.contains(#"ALTER TABLE "User" RENAME CONSTRAINT "user_pk" TO "User_pkey""#), "\(script)")
            #expect(
                script.contains(#"ALTER TABLE "Post" RENAME CONSTRAINT "fk_post_user" TO "Post_userId_fkey""#),
                "\(script)"
            )
            #expect(!script.contains("DROP CONSTRAINT") && !script.contains("ADD CONSTRAINT"), "\(script)")
            try await MigrationScriptRunner.run(script, on: session)
            #expect(try await Self.changes(session, to: target).isEmpty)
        }
    }
}
