import Foundation
import Testing
import WenwexMigrate
import WenwexSQL
import WenwexTestSupport

/// The migration linter against real databases: each rule fires with the facts the database
/// gives, stays quiet (or only warns) when the change is safe, and an allow comment makes an
/// error non-blocking.
@Suite("Migration linter")
struct LintTests {
    static let dialects: [SQLDialect] = PostgresAvailability.shouldRun ? [.sqlite, .postgres] : [.sqlite]

    static let users = """
        model User {
          id    Int     @id @default(autoincrement())
          email String
          bio   String?
        }

        """

    static let posts = """
        model Post {
          id    Int    @id @default(autoincrement())
          title String
        }

        """

    // MARK: - drop-table, drop-column

    @Test(arguments: dialects)
    func droppingATableWithRowsIsAnErrorThatCountsThem(dialect: SQLDialect) async throws {
        try await MigrationTestDatabase.with(dialect, prefix: "lint_drop_table") { session in
            let before = try LintFixture.schema(Self.users + Self.posts, dialect)
            let after = try LintFixture.schema(Self.users, dialect)
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("Post", "\"title\"", count: 3) { "'post \($0)'" },
                on: session
            )
            let (findings, _) = try await LintFixture.lint(from: before, to: after, on: session)
            let drop = try #require(findings.of(.dropTable).first)
            #expect(drop.severity == .error)
            #expect(drop.message.contains("\"Post\""))
            #expect(drop.message.contains("3 rows"))
            #expect(drop.message.contains("add `-- wenwex:allow drop-table` to the migration if this is intended"))
            #expect(findings.blocking == [drop])
        }
    }

    @Test(arguments: dialects)
    func droppingAnEmptyTableIsOnlyAWarning(dialect: SQLDialect) async throws {
        try await MigrationTestDatabase.with(dialect, prefix: "lint_drop_empty") { session in
            let before = try LintFixture.schema(Self.users + Self.posts, dialect)
            let after = try LintFixture.schema(Self.users, dialect)
            try await LintFixture.create(before, rows: [], on: session)
            let (findings, _) = try await LintFixture.lint(from: before, to: after, on: session)
            #expect(findings.of(.dropTable).map(\.severity) == [.warning])
            #expect(findings.of(.dropTable).first?.message.contains("empty") == true)
            #expect(findings.blocking.isEmpty)
        }
    }

    @Test(arguments: dialects)
    func droppingAColumnCountsItsNonNullValues(dialect: SQLDialect) async throws {
        try await MigrationTestDatabase.with(dialect, prefix: "lint_drop_column") { session in
            let before = try LintFixture.schema(Self.users, dialect)
            let after = try LintFixture.schema(
                Self.users.replacingOccurrences(of: "  bio   String?\n", with: ""),
                dialect
            )
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("User", "\"email\", \"bio\"", count: 3) { row in
                    "'u\(row)@example.com', \(row == 3 ? "NULL" : "'bio \(row)'")"
                },
                on: session
            )
            let (findings, sql) = try await LintFixture.lint(from: before, to: after, on: session)
            let drop = try #require(findings.of(.dropColumn).first)
            #expect(drop.severity == .error)
            #expect(drop.message.contains("\"User\".\"bio\""))
            #expect(drop.message.contains("2 non-null values"))
            #expect(drop.message.contains("RENAME COLUMN"))
            #expect(findings.blocking == [drop])
            // SQLite rebuilds the table to drop a column; the linter sees a dropped column, not
            // a dropped table.
            #expect(findings.of(.dropTable).isEmpty, "\(sql)")
        }
    }

    @Test(arguments: dialects)
    func droppingAColumnThatHoldsOnlyNullsIsAWarning(dialect: SQLDialect) async throws {
        try await MigrationTestDatabase.with(dialect, prefix: "lint_drop_null_column") { session in
            let before = try LintFixture.schema(Self.users, dialect)
            let after = try LintFixture.schema(
                Self.users.replacingOccurrences(of: "  bio   String?\n", with: ""),
                dialect
            )
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("User", "\"email\"", count: 2) { "'u\($0)@example.com'" },
                on: session
            )
            let (findings, _) = try await LintFixture.lint(from: before, to: after, on: session)
            #expect(findings.of(.dropColumn).map(\.severity) == [.warning])
            #expect(findings.blocking.isEmpty)
        }
    }

    @Test(arguments: dialects)
    func withoutADatabaseADropIsAnErrorBecauseNobodyCounted(dialect: SQLDialect) async throws {
        let before = try LintFixture.schema(Self.users + Self.posts, dialect)
        let after = try LintFixture.schema(Self.users, dialect)
        let sql = MigrationPlanner.script(from: before, to: after, dialect: dialect).sql
        let findings = try await MigrationLinter(dialect: dialect).lint(sql: sql, before: before, after: after)
        #expect(findings.of(.dropTable).map(\.severity) == [.error])
        #expect(findings.of(.dropTable).first?.message.contains("no database") == true)
    }

    // MARK: - narrow-type

    @Test(arguments: dialects)
    func narrowingAColumnWithValuesIsAnError(dialect: SQLDialect) async throws {
        // Types both dialects have: a float becoming an integer, a BigInt becoming an Int.
        let model = """
            model Reading {
              id    Int    @id @default(autoincrement())
              score Float
              total BigInt
              label String
            }

            """
        try await MigrationTestDatabase.with(dialect, prefix: "lint_narrow") { session in
            let before = try LintFixture.schema(model, dialect)
            let after = try LintFixture.schema(
                model.replacingOccurrences(of: "score Float", with: "score Int")
                    .replacingOccurrences(of: "total BigInt", with: "total Int"),
                dialect
            )
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("Reading", "\"score\", \"total\", \"label\"", count: 2) {
                    "\($0).5, \($0), 'r'"
                },
                on: session
            )
            let (findings, _) = try await LintFixture.lint(from: before, to: after, on: session)
            let narrowed = findings.of(.narrowType)
            #expect(narrowed.count == 2)
            #expect(narrowed.allSatisfy { $0.severity == .error && $0.message.contains("2 non-null values") })
            #expect(
                narrowed.contains { $0.message.contains("\"Reading\".\"score\"") && $0.message.contains("fractions") }
            )
            #expect(narrowed.contains { $0.message.contains("\"Reading\".\"total\"") && $0.message.contains("range") })
        }
    }

    @Test(arguments: dialects)
    func wideningIsSafe(dialect: SQLDialect) async throws {
        let model = """
            model Reading {
              id    Int     @id @default(autoincrement())
              count Int
              flag  Boolean
            }

            """
        try await MigrationTestDatabase.with(dialect, prefix: "lint_widen") { session in
            let before = try LintFixture.schema(model, dialect)
            let after = try LintFixture.schema(
                model.replacingOccurrences(of: "count Int", with: "count BigInt")
                    .replacingOccurrences(of: "flag  Boolean", with: "flag  String"),
                dialect
            )
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("Reading", "\"count\", \"flag\"", count: 2) { "\($0), true" },
                on: session
            )
            let (findings, sql) = try await LintFixture.lint(from: before, to: after, on: session)
            #expect(sql.contains("BIGINT"), "the migration changes the column")
            #expect(findings.isEmpty, "\(findings)")
        }
    }

    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func postgresVarcharNarrowingAndWideningToText() async throws {
        let model = """
            model Note {
              id    Int    @id @default(autoincrement())
              code  String @db.VarChar(20)
              body  String
              title String @db.VarChar(10)
            }

            """
        try await MigrationTestDatabase.with(.postgres, prefix: "lint_varchar") { session in
            let before = try LintFixture.schema(model, .postgres)
            let after = try LintFixture.schema(
                model.replacingOccurrences(of: "code  String @db.VarChar(20)", with: "code  String @db.VarChar(5)")
                    .replacingOccurrences(of: "body  String", with: "body  String @db.VarChar(10)")
                    .replacingOccurrences(of: "title String @db.VarChar(10)", with: "title String"),
                .postgres
            )
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("Note", "\"code\", \"body\", \"title\"", count: 3) { "'c\($0)', 'b', 't'" },
                on: session
            )
            let (findings, _) = try await LintFixture.lint(from: before, to: after, on: session)
            let narrowed = findings.of(.narrowType)
            #expect(narrowed.count == 2, "\(findings)")
            #expect(narrowed.contains { $0.message.contains("\"Note\".\"code\" from VARCHAR(20) to VARCHAR(5)") })
            #expect(narrowed.contains { $0.message.contains("\"Note\".\"body\" from TEXT to VARCHAR(10)") })
            #expect(narrowed.allSatisfy { $0.severity == .error && $0.message.contains("3 non-null values") })
            #expect(!narrowed.contains { $0.message.contains("\"title\"") }, "VARCHAR(10) to TEXT is widening")
        }
    }

    @Test(arguments: dialects)
    func narrowingAColumnWithoutValuesIsAWarning(dialect: SQLDialect) async throws {
        let model = """
            model Reading {
              id    Int    @id @default(autoincrement())
              score Float?
            }

            """
        try await MigrationTestDatabase.with(dialect, prefix: "lint_narrow_empty") { session in
            let before = try LintFixture.schema(model, dialect)
            let after = try LintFixture.schema(model.replacingOccurrences(of: "Float?", with: "Int?"), dialect)
            try await LintFixture.create(
                before,
                rows: ["INSERT INTO \"Reading\" (\"score\") VALUES (NULL)"],
                on: session
            )
            let (findings, _) = try await LintFixture.lint(from: before, to: after, on: session)
            #expect(findings.of(.narrowType).map(\.severity) == [.warning])
            #expect(findings.blocking.isEmpty)
        }
    }

    /// Which PostgreSQL type changes narrow, judged from the schemas alone.
    @Test(arguments: [
        ("String @db.VarChar(20)", "String @db.VarChar(5)", true),
        ("String", "String @db.VarChar(10)", true),
        ("String @db.VarChar(10)", "String", false),
        ("String @db.VarChar(10)", "String @db.VarChar(20)", false),
        ("BigInt", "Int", true),
        ("Int", "Int @db.SmallInt", true),
        ("Int @db.SmallInt", "BigInt", false),
        ("Decimal @db.Decimal(10, 2)", "Decimal @db.Decimal(8, 2)", true),
        ("Decimal @db.Decimal(10, 2)", "Decimal @db.Decimal(10, 1)", true),
        ("Decimal @db.Decimal(10, 2)", "Decimal @db.Decimal(10, 3)", true),
        ("Decimal @db.Decimal(10, 2)", "Decimal @db.Decimal(12, 3)", false),
        ("Decimal", "Decimal @db.Decimal(10, 2)", true),
        ("Decimal @db.Decimal(10, 2)", "Decimal", false),
        ("Float", "Int", true),
        ("Float", "Decimal", true),
        ("Float", "Float @db.Real", true),
        ("Int", "Float", false),
        ("BigInt", "Float", true),
        ("Int", "Decimal @db.Decimal(12, 2)", false),
        ("Int", "Decimal @db.Decimal(8, 2)", true),
        ("DateTime", "DateTime @db.Timestamp(0)", true),
        ("DateTime @db.Timestamp(0)", "DateTime", false),
        ("DateTime", "DateTime @db.Date", true),
        ("Int[]", "Int", true),
        ("Int", "String", false),
        ("Boolean", "String @db.VarChar(5)", false),
        ("BigInt", "String @db.VarChar(5)", true),
        ("String", "Int", true),
        ("String", "String @db.Uuid", true),
        ("String @db.Uuid", "String", false),
        ("Json", "String", false),
        ("Json", "Json @db.Json", false),
    ])
    func postgresTypeChanges(old: String, new: String, narrows: Bool) async throws {
        let model = "model Thing {\n  id Int @id\n  value TYPE\n}\n"
        let before = try LintFixture.schema(model.replacingOccurrences(of: "TYPE", with: old), .postgres)
        let after = try LintFixture.schema(model.replacingOccurrences(of: "TYPE", with: new), .postgres)
        #expect(!SchemaDiffer.changes(from: before, to: after).isEmpty, "the types differ")
        let findings = try await MigrationLinter(dialect: .postgres).lint(sql: "", before: before, after: after)
        #expect(findings.of(.narrowType).count == (narrows ? 1 : 0), "\(old) → \(new): \(findings)")
        // Without a database nobody knows whether the column holds values: an error.
        #expect(findings.of(.narrowType).allSatisfy { $0.severity == .error })
    }

    // MARK: - required-column-without-default

    @Test(arguments: dialects)
    func aRequiredColumnWithoutDefaultOnATableWithRowsIsAnErrorAndTheMigrationFails(dialect: SQLDialect) async throws {
        try await MigrationTestDatabase.with(dialect, prefix: "lint_required") { session in
            let before = try LintFixture.schema(Self.users, dialect)
            let after = try LintFixture.schema(
                Self.users.replacingOccurrences(of: "  bio ", with: "  age   Int\n  bio "),
                dialect
            )
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("User", "\"email\"", count: 3) { "'u\($0)@example.com'" },
                on: session
            )
            let (findings, sql) = try await LintFixture.lint(from: before, to: after, on: session)
            let required = try #require(findings.of(.requiredColumnWithoutDefault).first)
            #expect(required.severity == .error)
            #expect(required.message.contains("\"User\".\"age\""))
            #expect(required.message.contains("3 rows"))
            #expect(findings.blocking == [required])
            // The linter is right: the migration cannot run.
            await #expect(throws: MigrationStatementFailed.self) {
                try await MigrationScriptRunner.run(sql, on: session)
            }
        }
    }

    @Test(arguments: dialects)
    func aRequiredColumnWithADefaultOrOnAnEmptyTableIsFine(dialect: SQLDialect) async throws {
        try await MigrationTestDatabase.with(dialect, prefix: "lint_required_ok") { session in
            let before = try LintFixture.schema(Self.users + Self.posts, dialect)
            let after = try LintFixture.schema(
                Self.users.replacingOccurrences(of: "  bio ", with: "  age   Int @default(0)\n  bio ")
                    + Self.posts.replacingOccurrences(of: "  title ", with: "  views Int\n  title "),
                dialect
            )
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("User", "\"email\"", count: 3) { "'u\($0)@example.com'" },
                on: session
            )
            let (findings, sql) = try await LintFixture.lint(from: before, to: after, on: session)
            #expect(findings.isEmpty, "\(findings)")
            try await MigrationScriptRunner.run(sql, on: session)
        }
    }

    @Test(arguments: dialects)
    func withoutADatabaseARequiredColumnIsAWarning(dialect: SQLDialect) async throws {
        let before = try LintFixture.schema(Self.users, dialect)
        let after = try LintFixture.schema(
            Self.users.replacingOccurrences(of: "  bio ", with: "  age   Int\n  bio "),
            dialect
        )
        let findings = try await MigrationLinter(dialect: dialect).lint(sql: "", before: before, after: after)
        #expect(findings.of(.requiredColumnWithoutDefault).map(\.severity) == [.warning])
        #expect(findings.blocking.isEmpty)
    }

    // MARK: - unique-over-duplicates

    @Test(arguments: dialects)
    func aUniqueIndexOverDuplicatesIsAnErrorAndTheMigrationFails(dialect: SQLDialect) async throws {
        try await MigrationTestDatabase.with(dialect, prefix: "lint_unique") { session in
            let before = try LintFixture.schema(Self.users, dialect)
            let after = try LintFixture.schema(
                Self.users.replacingOccurrences(of: "email String", with: "email String @unique"),
                dialect
            )
            // a, a, b, c, c, c: two values repeat, in five rows.
            let emails = ["a", "a", "b", "c", "c", "c"]
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("User", "\"email\"", count: emails.count) { "'\(emails[$0 - 1])'" },
                on: session
            )
            let (findings, sql) = try await LintFixture.lint(from: before, to: after, on: session)
            let unique = try #require(findings.of(.uniqueOverDuplicates).first)
            #expect(unique.severity == .error)
            #expect(unique.message.contains("\"User_email_key\" on \"User\" (email)"))
            #expect(unique.message.contains("2 values appear more than once, in 5 rows"))
            #expect(findings.blocking == [unique])
            await #expect(throws: MigrationStatementFailed.self) {
                try await MigrationScriptRunner.run(sql, on: session)
            }
        }
    }

    @Test(arguments: dialects)
    func aUniqueIndexOverDistinctValuesOrRepeatedNullsIsFine(dialect: SQLDialect) async throws {
        try await MigrationTestDatabase.with(dialect, prefix: "lint_unique_ok") { session in
            let before = try LintFixture.schema(Self.users, dialect)
            let after = try LintFixture.schema(
                Self.users.replacingOccurrences(of: "email String", with: "email String @unique")
                    .replacingOccurrences(of: "bio   String?", with: "bio   String? @unique"),
                dialect
            )
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("User", "\"email\"", count: 3) { "'u\($0)@example.com'" },
                on: session
            )
            let (findings, sql) = try await LintFixture.lint(from: before, to: after, on: session)
            #expect(findings.isEmpty, "\(findings)")
            try await MigrationScriptRunner.run(sql, on: session)
        }
    }

    @Test(arguments: dialects)
    func aUniqueIndexOverANewColumnWithOneDefaultRepeatsThatDefault(dialect: SQLDialect) async throws {
        try await MigrationTestDatabase.with(dialect, prefix: "lint_unique_new") { session in
            let before = try LintFixture.schema(Self.posts, dialect)
            let after = try LintFixture.schema(
                Self.posts.replacingOccurrences(
                    of: "  title ",
                    with: "  slug  String @unique @default(\"x\")\n  title "
                ),
                dialect
            )
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("Post", "\"title\"", count: 2) { "'t\($0)'" },
                on: session
            )
            let (findings, _) = try await LintFixture.lint(from: before, to: after, on: session)
            #expect(findings.of(.uniqueOverDuplicates).map(\.severity) == [.error])
            #expect(
                findings.of(.uniqueOverDuplicates).first?.message.contains("1 value appears more than once, in 2 rows")
                    == true
            )
        }
    }

    // MARK: - remove-enum-value-in-use (PostgreSQL enums)

    static let roles = """
        enum Role {
          USER
          ADMIN
          GUEST
        }

        model Member {
          id    Int    @id @default(autoincrement())
          role  Role   @default(USER)
        }

        model Team {
          id    Int    @id @default(autoincrement())
          roles Role[]
        }

        """

    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func removingAnEnumValueRowsStillUseIsAnErrorAndTheMigrationFails() async throws {
        try await MigrationTestDatabase.with(.postgres, prefix: "lint_enum") { session in
            let before = try LintFixture.schema(Self.roles, .postgres)
            let after = try LintFixture.schema(Self.roles.replacingOccurrences(of: "  GUEST\n", with: ""), .postgres)
            try await LintFixture.create(
                before,
                rows: [
                    #"INSERT INTO "Member" ("role") VALUES ('GUEST'), ('GUEST'), ('USER')"#,
                    #"INSERT INTO "Team" ("roles") VALUES ('{USER,GUEST}'), ('{ADMIN}')"#,
                ],
                on: session
            )
            let (findings, sql) = try await LintFixture.lint(from: before, to: after, on: session)
            let removed = try #require(findings.of(.removeEnumValueInUse).first)
            #expect(removed.severity == .error)
            #expect(removed.message.contains("value GUEST from enum \"Role\""))
            #expect(removed.message.contains("2 rows of \"Member\".\"role\""))
            #expect(removed.message.contains("1 row of \"Team\".\"roles\""))
            #expect(findings.blocking == [removed])
            await #expect(throws: MigrationStatementFailed.self) {
                try await MigrationScriptRunner.run(sql, on: session)
            }
        }
    }

    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func removingAnUnusedEnumValueIsFine() async throws {
        try await MigrationTestDatabase.with(.postgres, prefix: "lint_enum_ok") { session in
            let before = try LintFixture.schema(Self.roles, .postgres)
            let after = try LintFixture.schema(Self.roles.replacingOccurrences(of: "  GUEST\n", with: ""), .postgres)
            try await LintFixture.create(
                before,
                rows: [
                    #"INSERT INTO "Member" ("role") VALUES ('ADMIN'), ('USER')"#,
                    #"INSERT INTO "Team" ("roles") VALUES ('{USER,ADMIN}')"#,
                ],
                on: session
            )
            let (findings, sql) = try await LintFixture.lint(from: before, to: after, on: session)
            #expect(findings.isEmpty, "\(findings)")
            try await MigrationScriptRunner.run(sql, on: session)
        }
    }

    @Test
    func withoutADatabaseRemovingAnEnumValueIsAWarning() async throws {
        let before = try LintFixture.schema(Self.roles, .postgres)
        let after = try LintFixture.schema(Self.roles.replacingOccurrences(of: "  GUEST\n", with: ""), .postgres)
        let findings = try await MigrationLinter(dialect: .postgres).lint(sql: "", before: before, after: after)
        #expect(findings.of(.removeEnumValueInUse).map(\.severity) == [.warning])
        #expect(
            findings.of(.removeEnumValueInUse).first?.message.contains("\"Member\".\"role\", \"Team\".\"roles\"")
                == true
        )
    }

    // MARK: - index-without-concurrently (PostgreSQL)

    static let indexedPosts = posts.replacingOccurrences(
        of: "  title String\n",
        with: "  title String\n\n  @@index([title])\n"
    )

    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func anIndexOnALargeTableWithoutConcurrentlyIsAWarning() async throws {
        try await MigrationTestDatabase.with(.postgres, prefix: "lint_concurrently") { session in
            let before = try LintFixture.schema(Self.posts, .postgres)
            let after = try LintFixture.schema(Self.indexedPosts, .postgres)
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("Post", "\"title\"", count: 10) { "'t\($0)'" },
                on: session
            )
            let (findings, _) = try await LintFixture.lint(from: before, to: after, on: session, largeTableRows: 10)
            let index = try #require(findings.of(.indexWithoutConcurrently).first)
            #expect(index.severity == .warning)
            #expect(index.message.contains("\"Post_title_idx\" on \"Post\" (at least 10 rows)"))
            #expect(findings.blocking.isEmpty)

            // Below the threshold: nothing.
            let (small, _) = try await LintFixture.lint(from: before, to: after, on: session, largeTableRows: 11)
            #expect(small.isEmpty, "\(small)")

            // The planner's estimate counts too, once the table has been analyzed.
            try await session.execute(#"ANALYZE "Post""#)
            let (analyzed, _) = try await LintFixture.lint(from: before, to: after, on: session, largeTableRows: 10)
            #expect(analyzed.of(.indexWithoutConcurrently).first?.message.contains("(about 10 rows)") == true)
        }
    }

    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func anIndexBuiltConcurrentlyIsFineAndTheFileRuns() async throws {
        try await MigrationTestDatabase.with(.postgres, prefix: "lint_concurrently_ok") { session in
            let before = try LintFixture.schema(Self.posts, .postgres)
            let after = try LintFixture.schema(Self.indexedPosts, .postgres)
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("Post", "\"title\"", count: 10) { "'t\($0)'" },
                on: session
            )
            let (findings, sql) = try await LintFixture.lint(from: before, to: after, on: session, largeTableRows: 10) {
                $0.replacingOccurrences(
                    of: "-- CreateIndex\nCREATE INDEX",
                    with: "-- CreateIndex: built without blocking writes to the table\nCREATE INDEX CONCURRENTLY"
                )
            }
            #expect(sql.contains("CREATE INDEX CONCURRENTLY \"Post_title_idx\""))
            #expect(findings.isEmpty, "\(findings)")
            try await MigrationScriptRunner.run(sql, on: session)
            #expect(try await MigrationTestDatabase.introspect(session).table("Post")?.index("Post_title_idx") != nil)
        }
    }

    @Test(arguments: dialects)
    func anIndexOnANewTableOrOnSQLiteIsNeverFlagged(dialect: SQLDialect) async throws {
        try await MigrationTestDatabase.with(dialect, prefix: "lint_concurrently_new") { session in
            let before = try LintFixture.schema(Self.posts, dialect)
            let after = try LintFixture.schema(
                Self.indexedPosts
                    + Self.users.replacingOccurrences(of: "  bio   String?\n", with: "\n  @@index([email])\n"),
                dialect
            )
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("Post", "\"title\"", count: 10) { "'t\($0)'" },
                on: session
            )
            let (findings, _) = try await LintFixture.lint(from: before, to: after, on: session, largeTableRows: 1)
            let flagged = findings.of(.indexWithoutConcurrently).map(\.message)
            if dialect == .postgres {
                #expect(flagged.count == 1 && flagged[0].contains("\"Post_title_idx\""), "\(flagged)")
            } else {
                #expect(flagged.isEmpty)
            }
        }
    }

    // MARK: - Allow comments

    @Test(arguments: dialects)
    func anAllowCommentMakesTheErrorNonBlocking(dialect: SQLDialect) async throws {
        try await MigrationTestDatabase.with(dialect, prefix: "lint_allow") { session in
            let before = try LintFixture.schema(Self.users + Self.posts, dialect)
            let after = try LintFixture.schema(
                Self.users.replacingOccurrences(of: "  bio   String?\n", with: ""),
                dialect
            )
            try await LintFixture.create(
                before,
                rows: LintFixture.rows("User", "\"email\", \"bio\"", count: 2) { "'u\($0)', 'bio'" }
                    + LintFixture.rows("Post", "\"title\"", count: 1) { "'t\($0)'" },
                on: session
            )
            let (plain, _) = try await LintFixture.lint(from: before, to: after, on: session)
            #expect(Set(plain.blocking.map(\.rule)) == [.dropColumn, .dropTable])

            // One rule allowed: only the other still blocks.
            let (one, _) = try await LintFixture.lint(from: before, to: after, on: session) {
                "-- wenwex:allow drop-column -- bio moved to profiles in 20260301\n" + $0
            }
            #expect(one.of(.dropColumn).map(\.isAllowed) == [true])
            #expect(one.of(.dropColumn).first?.severity == .error, "still reported as what it is")
            #expect(one.blocking.map(\.rule) == [.dropTable])

            // Several rules in one comment, commas or spaces.
            let (both, _) = try await LintFixture.lint(from: before, to: after, on: session) {
                $0 + "\n-- wenwex:allow drop-table, drop-column\n"
            }
            #expect(both.count == 2 && both.allSatisfy(\.isAllowed))
            #expect(both.blocking.isEmpty)
            #expect(both.first?.description.hasPrefix("error[drop-column, allowed]: ") == true)
        }
    }

    @Test
    func anUnknownRuleInAnAllowCommentIsAWarningNamingTheValidRules() async throws {
        let before = try LintFixture.schema(Self.users + Self.posts, .sqlite)
        let after = try LintFixture.schema(Self.users, .sqlite)
        let sql = """
            -- wenwex:allow drop-tabel
            -- wenwex:allow
            -- wenwex:allowed is not an allow comment
            DROP TABLE "Post";
            """
        let findings = try await MigrationLinter(dialect: .sqlite).lint(sql: sql, before: before, after: after)
        #expect(findings.of(.dropTable).map(\.isAllowed) == [false], "a misspelt rule allows nothing")
        let unknown = findings.of(.unknownAllowRule)
        #expect(unknown.count == 2)
        #expect(unknown.allSatisfy { $0.severity == .warning })
        #expect(unknown.first?.message.contains("`drop-tabel`") == true)
        #expect(
            unknown.first?.message.contains(LintRule.acknowledgeable.map(\.rawValue).joined(separator: ", ")) == true
        )
        #expect(unknown.last?.message.contains("names no rule") == true)
    }

    @Test(arguments: dialects)
    func findingsGoIntoTheGeneratedFilesWarningsBlockWithoutAllowingThemselves(dialect: SQLDialect) async throws {
        let before = try LintFixture.schema(Self.users + Self.posts, dialect)
        let after = try LintFixture.schema(Self.users, dialect)
        var script = MigrationPlanner.script(from: before, to: after, dialect: dialect)
        let linter = MigrationLinter(dialect: dialect)
        let findings = try await linter.lint(sql: script.sql, before: before, after: after)
        script.addWarnings(for: findings)
        #expect(script.warnings == findings.map(\.warningLine))
        #expect(script.sql.hasPrefix("/*\n  Warnings:\n\n  - error[drop-table]: Dropping table \"Post\""))
        // The message quotes the allow comment; inside the warnings block that allows nothing.
        let again = try await linter.lint(sql: script.sql, before: before, after: after)
        #expect(again == findings)
        #expect(!again.blocking.isEmpty)
        // The file still runs.
        try await MigrationTestDatabase.with(dialect, prefix: "lint_warnings") { session in
            try await LintFixture.create(before, rows: [], on: session)
            try await MigrationScriptRunner.run(script.sql, on: session)
            #expect(try await MigrationTestDatabase.introspect(session).table("Post") == nil)
        }
    }
}
