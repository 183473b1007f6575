import Testing
import WenwexMigrate
import WenwexSQL
import WenwexTestSupport

/// The lock rules: statements that hold a lock on a large live table while they read, rewrite
/// or index it, judged from the SQL a migration runs (hand-written or generated).
@Suite("Migration lint: locks on large tables (PostgreSQL)", .enabled(if: PostgresAvailability.shouldRun))
struct LockLintTests {
    static let models = """
        model User {
          id    Int     @id @default(autoincrement())
          email String
        }

        model Post {
          id       Int     @id @default(autoincrement())
          title    String?
          authorId Int
          code     String  @db.VarChar(10)

          @@index([title])
        }

        """

    /// Lints `sql` against a database at `models` whose `Post` table has 20 rows, with 10 rows
    /// counting as large (or `largeTableRows`).
    func lint(_ sql: String, largeTableRows: Int = 10, after setup: [String] = []) async throws -> [LintFinding] {
        try await MigrationTestDatabase.with(.postgres, prefix: "lint_locks") { session in
            let schema = try LintFixture.schema(Self.models, .postgres)
            try await LintFixture.create(
                schema,
                rows: ["INSERT INTO \"User\" (email) VALUES ('a@b.c')"]
                    + LintFixture.rows("Post", "\"title\", \"authorId\", \"code\"", count: 20) {
                        "'t\($0)', 1, 'c\($0)'"
                    },
                on: session
            )
            for statement in setup { try await session.execute(statement, []) }
            let linter = MigrationLinter(dialect: .postgres, database: session, largeTableRows: largeTableRows)
            return try await linter.lint(sql: sql, before: schema, after: schema)
        }
    }

    @Test func eachBlockingFormIsNamedWithItsLockAndTheSaferForm() async throws {
        let cases: [(sql: String, rule: LintRule, says: String)] = [
            (
                #"ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;"#,
                .constraintWithoutNotValid,
                "SHARE ROW EXCLUSIVE, which blocks writes to \"Post\" (at least 10 rows) while it reads every row"
            ),
            (
                #"ALTER TABLE "Post" ADD CONSTRAINT "title_set" CHECK ("title" <> '');"#, .constraintWithoutNotValid,
                "NOT VALID"
            ),
            (#"ALTER TABLE "Post" ALTER COLUMN "title" SET NOT NULL;"#, .setNotNull, "IS NOT NULL) NOT VALID"),
            (
                #"ALTER TABLE "Post" ALTER COLUMN "code" SET DATA TYPE INTEGER USING "code"::integer;"#,
                .rewritingTypeChange,
                "ACCESS EXCLUSIVE, which blocks reads and writes on \"Post\" (at least 10 rows) while it rewrites the table"
            ),
            (
                #"ALTER TABLE "Post" ADD COLUMN "token" UUID NOT NULL DEFAULT gen_random_uuid();"#, .volatileDefault,
                "gen_random_uuid()"
            ),
            (
                #"ALTER TABLE "Post" ADD CONSTRAINT "Post_code_key" UNIQUE ("code");"#, .constraintWithoutIndex,
                "USING INDEX"
            ),
            (#"DROP INDEX "Post_title_idx";"#, .dropIndexWithoutConcurrently, "DROP INDEX CONCURRENTLY"),
            (#"ALTER TABLE "Post" RENAME COLUMN "title" TO "headline";"#, .renameInUse, "rolling deploy"),
        ]
        for (sql, rule, says) in cases {
            let findings = try await lint(sql)
            #expect(findings.map(\.rule) == [rule], "\(sql): \(findings)")
            #expect(findings.first?.severity == .warning)
            #expect(findings.first?.message.contains(says) == true, "\(findings.first?.message ?? "")")
        }
    }

    @Test func theSafeFormsAndSmallTablesAreQuiet() async throws {
        let safe = [
            #"ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") NOT VALID;"#,
            #"ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";"#,
            #"ALTER TABLE "Post" ALTER COLUMN "code" SET DATA TYPE VARCHAR(20);"#,
            #"ALTER TABLE "Post" ALTER COLUMN "code" TYPE TEXT;"#,
            #"ALTER TABLE "Post" ADD COLUMN "flag" BOOLEAN NOT NULL DEFAULT false;"#,
            #"ALTER TABLE "Post" ADD COLUMN "seen" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP;"#,
            #"ALTER TABLE "Post" ADD CONSTRAINT "Post_code_key" UNIQUE USING INDEX "Post_code_idx";"#,
            #"DROP INDEX CONCURRENTLY "Post_title_idx";"#,
            #"ALTER TABLE "Post" RENAME CONSTRAINT "Post_pkey" TO "Post_key";"#,
        ]
        for sql in safe {
            let findings = try await lint(sql)
            #expect(findings.isEmpty, "\(sql): \(findings)")
        }
        // A small table: locks are instant, only the rename (which breaks running code) remains.
        let small = try await lint(
            #"ALTER TABLE "Post" ALTER COLUMN "title" SET NOT NULL, ALTER COLUMN "code" TYPE INTEGER USING 1; ALTER TABLE "Post" RENAME TO "Article";"#,
            largeTableRows: 1000
        )
        #expect(small.map(\.rule) == [.renameInUse], "\(small)")
        // A table the migration creates is never checked, and an allow comment acknowledges.
        let created = try await lint(
            #"CREATE TABLE "Tag" ("id" INT, "name" TEXT); ALTER TABLE "Tag" ALTER COLUMN "name" SET NOT NULL;"#
        )
        #expect(created.isEmpty, "\(created)")
        let allowed = try await lint(
            "-- wenwex:allow set-not-null\n" + #"ALTER TABLE "Post" ALTER COLUMN "title" SET NOT NULL;"#
        )
        #expect(allowed.count == 1 && allowed[0].isAllowed, "\(allowed)")
    }

    @Test func setNotNullProvenByAValidatedCheckIsTheSafeForm() async throws {
        let check = #"ALTER TABLE "Post" ADD CONSTRAINT "Post_title_not_null" CHECK ("title" IS NOT NULL) NOT VALID"#
        let validate = #"ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_title_not_null";"#
        let setNotNull = #"ALTER TABLE "Post" ALTER COLUMN "title" SET NOT NULL;"#
        // In one script, as `migrate dev` lints the online form's files together.
        #expect(try await lint(check + ";\n" + validate + "\n" + setNotNull).isEmpty)
        // The check came from an earlier migration: validated here, or already in the database.
        #expect(try await lint(validate + "\n" + setNotNull, after: [check]).isEmpty)
        #expect(try await lint(setNotNull, after: [check, validate]).isEmpty)
        // A check that nothing validated proves nothing.
        #expect(try await lint(setNotNull, after: [check]).map(\.rule) == [.setNotNull])
        #expect(try await lint(check + ";\n" + setNotNull).map(\.rule) == [.setNotNull])
    }
}
