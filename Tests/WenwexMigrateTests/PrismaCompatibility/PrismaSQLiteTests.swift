import Foundation
import Testing
import WenwexMigrate
import WenwexSQL
import WenwexSchema

/// Issue 12's open questions, settled against prisma-engines and checked on real SQLite files:
/// `sqlite_autoindex_*` names, `BigInt @default(autoincrement())`, Prisma 5's join tables (which
/// SQLite keeps) and `@@ignore`d models (which Prisma creates).
@Suite("Prisma compatibility on SQLite")
struct PrismaSQLiteTests {
    static func lower(_ body: String) throws -> SQLSchema {
        try MigrationTestDatabase.lower("datasource db {\n  provider = \"sqlite\"\n}\n\n" + body, .sqlite)
    }

    @Test func anInlineUniqueConstraintsAutomaticIndexIsNoDrift() async throws {
        try await MigrationTestDatabase.with(.sqlite, prefix: "autoindex") { session in
            try await session.execute(
                #"CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY, "email" TEXT NOT NULL UNIQUE)"#
            )
            let database = try await MigrationTestDatabase.introspect(session)
            #expect(database.table("User")?.uniques == [SQLUnique(name: "User_email_key", columns: ["email"])])
            let target = try Self.lower("model User {\n  id    Int    @id\n  email String @unique\n}")
            #expect(SchemaDiffer.changes(from: database, to: target).isEmpty)
        }
    }

    @Test func bigIntAutoincrementKeysComeUpAndHaveNoDrift() async throws {
        let target = try Self.lower("model Event {\n  id   BigInt @id @default(autoincrement())\n  name String\n}")
        try await MigrationTestDatabase.with(.sqlite, prefix: "bigint_id") { session in
            let script = MigrationPlanner.script(from: SQLSchema(), to: target, dialect: .sqlite).sql
            #expect(script.contains("PRIMARY KEY AUTOINCREMENT"), "\(script)")
            try await MigrationScriptRunner.run(script, on: session)
            try await session.execute(#"INSERT INTO "Event" ("name") VALUES ('a'), ('b')"#)
            #expect(try await session.queryText(#"SELECT max("id") FROM "Event""#).first == ["2"])
            let changes = SchemaDiffer.changes(from: try await MigrationTestDatabase.introspect(session), to: target)
            #expect(changes.isEmpty, "\(changes)")
        }
    }

    @Test func joinTablesKeepPrismaFiveUniqueIndexAndIgnoredModelsAreCreated() async throws {
        let target = try Self.lower(
            """
            model Post {
              id         Int        @id
              draft      String?    @ignore
              categories Category[]
            }

            model Category {
              id    Int    @id
              posts Post[]
            }

            model Legacy {
              code String

              @@ignore
            }
            """
        )
        #expect(target.table("_CategoryToPost")?.uniques.map(\.name) == ["_CategoryToPost_AB_unique"])
        #expect(target.table("_CategoryToPost")?.primaryKey == nil)
        #expect(target.table("Legacy") != nil)
        #expect(target.table("Post")?.column("draft") != nil)
        try await MigrationTestDatabase.with(.sqlite, prefix: "join_sqlite") { session in
            try await MigrationScriptRunner.run(
                MigrationPlanner.script(from: SQLSchema(), to: target, dialect: .sqlite).sql,
                on: session
            )
            let changes = SchemaDiffer.changes(from: try await MigrationTestDatabase.introspect(session), to: target)
            #expect(changes.isEmpty, "\(changes)")
        }
    }
}

/// Drift of hand-made objects: only a difference from what the history made counts.
@Suite("Kept object drift")
struct KeptObjectDriftTests {
    static let index = SQLKeptObject(
        kind: .index,
        name: "Post_title_lower",
        table: "Post",
        definition: #"CREATE INDEX "Post_title_lower" ON public."Post" USING btree (lower(title))"#
    )

    @Test func theSameObjectsAsTheHistoryAreNoDrift() {
        let schema = SQLSchema(extensions: ["pg_trgm"], kept: [Self.index])
        #expect(KeptObjectDrift.differences(history: schema, database: schema).isEmpty)
    }

    @Test func addedMissingAndChangedObjectsAreEachReported() {
        var changed = Self.index
        changed.definition += " WHERE published"
        let trigger = SQLKeptObject(kind: .trigger, name: "touch", table: "Post", definition: "CREATE TRIGGER touch …")
        let lines = KeptObjectDrift.differences(
            history: SQLSchema(extensions: ["pg_trgm"], kept: [Self.index]),
            database: SQLSchema(extensions: ["citext"], kept: [changed, trigger])
        )
        #expect(
            lines == [
                #"index "Post_title_lower" on "Post" differs from what the migrations made"#,
                #"the database has trigger "touch" on "Post", which no migration made"#,
                #"the database has extension "citext", which no migration made"#,
                #"the database lacks extension "pg_trgm", which the migrations made"#,
            ]
        )
    }
}
