import Foundation
import Testing
import WenwexMigrate
import WenwexSQL
import WenwexSchema
import WenwexTestSupport

/// Class 4 of issue 12: what a migration made with hand-written SQL and `schema.prisma` cannot
/// express (an extension, trigram, partial and expression indexes, a trigger and its function, a
/// view, a row-level security policy and switch, a sequence, a domain) is introspected and kept, never planned as a drop unless
/// `dropsUnmanagedObjects` asks for it.
@Suite("Objects the schema cannot express, on PostgreSQL", .serialized, .enabled(if: PostgresAvailability.shouldRun))
struct PrismaKeptObjectsTests {
    static let schema = """
        model Post {
          id        Int     @id
          title     String
          published Boolean
        }

        model Counter {
          id Int @id @default(autoincrement())
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
        #"ALTER TABLE "Post" FORCE ROW LEVEL SECURITY"#,
        #"CREATE POLICY "Post_readable" ON "Post" FOR SELECT USING ("published")"#,
        #"CREATE SEQUENCE "invoice_number" START 1000"#,
        #"CREATE DOMAIN "email" AS text CHECK (VALUE LIKE '%@%')"#,
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
            #expect(database.extensions.map(\.name) == ["pg_trgm"])
            // The trigram index uses a non-default operator class the schema could state; the
            // partial and expression ones cannot be stated at all.
            #expect(database.table("Post")?.index("Post_title_trgm")?.columns.first?.operatorClass == "gin_trgm_ops")
            #expect(
                Set(database.kept.map { "\($0.kind.rawValue) \($0.name)" }) == [
                    "index Post_published_only", "index Post_title_lower", "function post_touch()",
                    "trigger Post_touch", "view PublishedPost", "materialized view PostTitles",
                    "policy Post_readable", "row level security Post", "sequence invoice_number",
                    "domain email",
                ],
                "the sequence a SERIAL column owns (Counter_id_seq) is its table's, not kept"
            )
            #expect(database.kept.first { $0.kind == .rowLevelSecurity }?.definition == "enabled, forced")
            #expect(
                database.kept.first { $0.kind == .domain }?.definition == "text CHECK ((VALUE ~~ '%@%'::text))",
                "\(database.kept)"
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
                    && !script.contains("ROW LEVEL SECURITY") && !script.contains("DROP SEQUENCE")
                    && !script.contains("DROP DOMAIN")
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

    static let partialIndexSchema = """
        model Member {
          id       Int     @id
          email    String
          name     String?
          isActive Boolean @default(true)

          @@index([email], where: "\\"isActive\\" = true")
          @@unique([name], where: "name IS NOT NULL")
        }
        """

    @Test func partialIndexesTheSchemaDeclaresAreManagedAndOthersKept() async throws {
        let target = try PrismaDriftTests.lower(
            Self.partialIndexSchema,
            generator: #"previewFeatures = ["partialIndexes"]"#
        )
        let script = MigrationPlanner.script(from: SQLSchema(), to: target, dialect: .postgres).sql
        #expect(
            script.contains(#"CREATE INDEX "Member_email_idx" ON "Member"("email") WHERE "isActive" = true"#),
            "\(script)"
        )
        #expect(script.contains(#"CREATE UNIQUE INDEX "Member_name_key" ON "Member"("name") WHERE name IS NOT NULL"#))
        try await MigrationTestDatabase.with(.postgres, prefix: "partial_indexes") { session in
            try await MigrationScriptRunner.run(script, on: session)
            try await session.execute(#"CREATE INDEX "Member_recent" ON "Member" ("id") WHERE "isActive""#, [])
            // PostgreSQL prints the conditions back its own way; they are the same conditions.
            let database = try await MigrationTestDatabase.introspect(session)
            #expect(
                SchemaDiffer.changes(from: database, to: target).isEmpty,
                "\(SchemaDiffer.changes(from: database, to: target))"
            )
            #expect(PartialIndexClaims.claimed(database, by: target).kept.map(\.name) == ["Member_recent"])

            // A changed condition is a change; a hand-written twin under another name is renamed.
            let edited = try PrismaDriftTests.lower(
                Self.partialIndexSchema.replacingOccurrences(of: "IS NOT NULL", with: "<> ''"),
                generator: #"previewFeatures = ["partialIndexes"]"#
            )
            let changes = SchemaDiffer.changes(from: database, to: edited)
            #expect(changes.count == 2, "\(changes)")
            #expect(
                changes.contains {
                    if case .dropIndex(_, let index) = $0 { index.name == "Member_name_key" } else { false }
                }
            )
            try await session.execute(#"ALTER INDEX "Member_email_idx" RENAME TO "active_member_emails""#, [])
            let renamed = try await MigrationTestDatabase.introspect(session)
            let rename = MigrationPlanner.script(from: renamed, to: target, dialect: .postgres).sql
            #expect(rename.contains(#"ALTER INDEX "active_member_emails" RENAME TO "Member_email_idx""#), "\(rename)")
            #expect(!rename.contains("DROP INDEX"))
        }
    }

    @Test func rowLevelSecuritySwitchedOffByHandIsDrift() async throws {
        let target = try PrismaDriftTests.lower(Self.schema)
        try await MigrationTestDatabase.with(.postgres, prefix: "kept_rls") { session in
            try await MigrationScriptRunner.run(
                MigrationPlanner.script(from: SQLSchema(), to: target, dialect: .postgres).sql,
                on: session
            )
            for statement in Self.handWritten { try await session.execute(statement, []) }
            let history = try await MigrationTestDatabase.introspect(session)
            try await session.execute(#"ALTER TABLE "Post" NO FORCE ROW LEVEL SECURITY"#, [])
            try await session.execute(#"ALTER SEQUENCE "invoice_number" INCREMENT 5"#, [])
            let database = try await MigrationTestDatabase.introspect(session)
            #expect(
                KeptObjectDrift.differences(history: history, database: database) == [
                    #"row level security on "Post" differs from what the migrations made"#,
                    #"sequence "invoice_number" differs from what the migrations made"#,
                ]
            )
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
