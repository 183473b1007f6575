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

    /// Class 4 on SQLite: partial and expression indexes, triggers and views made by
    /// hand-written SQL are kept objects, never planned as drops unless asked for.
    @Test func handWrittenObjectsAreKeptAndOnlyDroppedWhenAsked() async throws {
        let target = try Self.lower("model Post {\n  id        Int     @id\n  title     String\n  published Boolean\n}")
        try await MigrationTestDatabase.with(.sqlite, prefix: "kept_objects") { session in
            try await MigrationScriptRunner.run(
                MigrationPlanner.script(from: SQLSchema(), to: target, dialect: .sqlite).sql,
                on: session
            )
            for statement in [
                #"CREATE INDEX "Post_title_lower" ON "Post" (lower("title"))"#,
                #"CREATE INDEX "Post_published_only" ON "Post" ("title") WHERE "published""#,
                #"CREATE TRIGGER "Post_touch" AFTER UPDATE ON "Post" BEGIN SELECT 1; END"#,
                #"CREATE VIEW "PublishedPost" AS SELECT "id", "title" FROM "Post" WHERE "published""#,
            ] {
                try await session.execute(statement, [])
            }
            let database = try await MigrationTestDatabase.introspect(session)
            #expect(
                database.kept.map { "\($0.kind.rawValue) \($0.name) \($0.table ?? "-")" } == [
                    "index Post_published_only Post", "index Post_title_lower Post", "trigger Post_touch Post",
                    "view PublishedPost -",
                ]
            )
            #expect(database.kept.allSatisfy { $0.definition.hasPrefix("CREATE ") }, "as SQLite stored them")
            #expect(database.table("Post")?.indexes.isEmpty == true, "none of them is a plain index")
            #expect(SchemaDiffer.changes(from: database, to: target).isEmpty, "nothing planned by default")

            let all = SchemaDiffer.changes(
                from: database,
                to: target,
                options: SchemaDiffer.Options(dropsUnmanagedObjects: true)
            )
            #expect(all.count == 4)
            let rendered = SQLiteMigrationRenderer().render(all, from: database, to: target).sql
            try await MigrationScriptRunner.run(rendered, on: session)
            let after = try await MigrationTestDatabase.introspect(session)
            #expect(after.kept.isEmpty, "\(after.kept)")
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
