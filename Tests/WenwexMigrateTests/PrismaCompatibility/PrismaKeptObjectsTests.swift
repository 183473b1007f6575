import Foundation
import Testing
import WenwexMigrate
import WenwexSQL
import WenwexSchema
import WenwexTestSupport

/// Class 4 of issue 12: what a migration made with hand-written SQL and `schema.prisma` cannot
/// express (an extension, trigram, partial and expression indexes, a trigger and its function, a
/// view, a row-level security policy) is introspected and kept, never planned as a drop unless
/// `dropsUnmanagedObjects` asks for it.
@Suite("Objects the schema cannot express, on PostgreSQL", .serialized, .enabled(if: PostgresAvailability.shouldRun))
struct PrismaKeptObjectsTests {
    static let schema = """
        model Post {
          id        Int     @id
          title     String
          published Boolean
        }
        """

    static let handWritten = [
        #"CREATE EXTENSION IF NOT EXISTS pg_trgm"#,
        #"CREATE INDEX "Post_title_trgm" ON "Post" USING GIN ("title" gin_trgm_ops)"#,
        #"CREATE INDEX "Post_published_only" ON "Post" ("title") WHERE "published""#,
        #"CREATE INDEX "Post_title_lower" ON "Post" (lower("title"))"#,
        #"CREATE FUNCTION post_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"#,
        #"CREATE TRIGGER "Post_touch" BEFORE UPDATE ON "Post" FOR EACH ROW EXECUTE FUNCTION post_touch()"#,
        #"CREATE VIEW "PublishedPost" AS SELECT "id", "title" FROM "Post" WHERE "published""#,
        #"CREATE MATERIALIZED VIEW "PostTitles" AS SELECT "title" FROM "Post""#,
        #"ALTER TABLE "Post" ENABLE ROW LEVEL SECURITY"#,
        #"CREATE POLICY "Post_readable" ON "Post" FOR SELECT USING ("published")"#,
    ]

    @Test func handWrittenObjectsAreKeptAndOnlyDroppedWhenAsked() async throws {
        let target = try PrismaDriftTests.lower(Self.schema)
        try await MigrationTestDatabase.with(.postgres, prefix: "kept_objects") { session in
            try await MigrationScriptRunner.run(
                MigrationPlanner.script(from: SQLSchema(), to: target, dialect: .postgres).sql,
                on: session
            )
            for statement in Self.handWritten { try await session.execute(statement, []) }
            let database = try await MigrationTestDatabase.introspect(session)
            #expect(database.extensions == ["pg_trgm"])
            // The trigram index uses a non-default operator class the schema could state; the
            // partial and expression ones cannot be stated at all.
            #expect(database.table("Post")?.index("Post_title_trgm")?.columns.first?.operatorClass == "gin_trgm_ops")
            #expect(
                Set(database.kept.map { "\($0.kind.rawValue) \($0.name)" }) == [
                    "index Post_published_only", "index Post_title_lower", "function post_touch()",
                    "trigger Post_touch", "view PublishedPost", "materialized view PostTitles",
                    "policy Post_readable",
                ]
            )

            // What `migrate dev` and `migrate diff` plan by default: no drop of anything hand-made
            // but the trigram index, which the schema does not list (a plain index drop).
            let changes = SchemaDiffer.changes(from: database, to: target)
            #expect(
                changes == [
                    .dropIndex(TableName("Post"), try #require(database.table("Post")?.index("Post_title_trgm")))
                ]
            )
            let script = MigrationPlanner.script(from: database, to: target, dialect: .postgres).sql
            #expect(
                !script.contains("DROP EXTENSION") && !script.contains("DROP TRIGGER") && !script.contains("DROP VIEW")
            )

            // With the explicit opt-in, every one of them is dropped, and the database ends up as
            // the schema says.
            let all = SchemaDiffer.changes(
                from: database,
                to: target,
                options: SchemaDiffer.Options(dropsUnmanagedObjects: true)
            )
            let rendered = PostgresMigrationRenderer().render(all, from: database, to: target).sql
            try await MigrationScriptRunner.run(rendered, on: session)
            let after = try await MigrationTestDatabase.introspect(session)
            #expect(after.kept.isEmpty, "\(after.kept)")
            #expect(after.extensions.isEmpty)
            #expect(SchemaDiffer.changes(from: after, to: target).isEmpty)
        }
    }

    @Test func migrationHistoryAndDatabaseWithTheSameHandWrittenObjectsHaveNoDrift() async throws {
        let target = try PrismaDriftTests.lower(Self.schema)
        let create = MigrationPlanner.script(from: SQLSchema(), to: target, dialect: .postgres).sql
        let histories = try await withThrowingTaskGroup(of: SQLSchema.self) { group in
            for prefix in ["kept_history", "kept_dev"] {
                group.addTask {
                    try await MigrationTestDatabase.with(.postgres, prefix: prefix) { session in
                        try await MigrationScriptRunner.run(create, on: session)
                        for statement in Self.handWritten { try await session.execute(statement, []) }
                        return try await MigrationTestDatabase.introspect(session)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(histories[0] == histories[1])
        #expect(SchemaDiffer.changes(from: histories[0], to: histories[1]).isEmpty)
    }
}
