import Foundation
import Testing
import WenwexConfig
import WenwexMigrate
import WenwexSQL
import WenwexTestSupport

/// The online form `migrate dev` writes on PostgreSQL (``DDLForm/online``): what moves out of
/// the main transaction, and, on a million-row table under a steady load, that the plain form
/// stalls the load while the online form does not.
@Suite("Online DDL: migrations that never stall traffic (PostgreSQL)")
struct OnlineDDLTests {
    static let base = """
        model User {
          id    Int    @id @default(autoincrement())
          email String
        }

        model Post {
          id       Int     @id @default(autoincrement())
          title    String?
          authorId Int
          code     String
          body     String
          n        Int     @default(0)

          @@index([n])
        }

        """

    /// Each operation the online form renders differently, as a change to `base`.
    static let operations: [(name: String, schema: String)] = [
        ("index", base.replacingOccurrences(of: "@@index([n])", with: "@@index([n])\n  @@index([authorId])")),
        ("unique", base.replacingOccurrences(of: "code     String", with: "code     String @unique")),
        (
            "foreign_key",
            base.replacingOccurrences(of: "email String", with: "email String\n  posts Post[]")
                .replacingOccurrences(
                    of: "authorId Int",
                    with: "authorId Int\n  author   User    @relation(fields: [authorId], references: [id])"
                )
        ),
        ("required", base.replacingOccurrences(of: "title    String?", with: "title    String")),
        ("drop_index", base.replacingOccurrences(of: "@@index([n])", with: "")),
        (
            "primary_key",
            base.replacingOccurrences(
                of: "id       Int     @id @default(autoincrement())",
                with: "id       Int     @default(autoincrement())"
            ).replacingOccurrences(of: "@@index([n])", with: "@@index([n])\n  @@id([id, authorId])")
        ),
    ]

    static func schema(_ models: String) throws -> SQLSchema {
        try LintFixture.schema(models, .postgres)
    }

    static func online(_ old: SQLSchema, _ new: SQLSchema) -> MigrationScript {
        MigrationPlanner.script(from: old, to: new, dialect: .postgres, form: .online)
    }

    // MARK: - Rendering

    @Test func eachOperationOnALiveTableMovesItsWorkOutOfTheMainTransaction() throws {
        let old = try Self.schema(Self.base)
        var rendered: [String: MigrationScript] = [:]
        for (name, models) in Self.operations {
            rendered[name] = Self.online(old, try Self.schema(models))
        }
        let index = try #require(rendered["index"])
        #expect(index.steps.flatMap(\.statements).isEmpty)
        #expect(
            index.concurrentSteps.flatMap(\.statements) == [
                #"DROP INDEX CONCURRENTLY IF EXISTS "Post_authorId_idx""#,
                #"CREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId")"#,
            ]
        )
        #expect(index.files.count == 1 && index.files[0].nameSuffix == nil, "an index alone is one file")

        let unique = try #require(rendered["unique"])
        #expect(
            unique.concurrentSteps.flatMap(\.statements).last?.hasPrefix(
                #"CREATE UNIQUE INDEX CONCURRENTLY "Post_code_key""#
            ) == true
        )

        let foreignKey = try #require(rendered["foreign_key"])
        #expect(
            foreignKey.steps.flatMap(\.statements) == [
                #"ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID"#
            ]
        )
        #expect(
            foreignKey.validationSteps.flatMap(\.statements) == [
                #"ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey""#
            ]
        )
        #expect(foreignKey.files.map(\.nameSuffix) == [nil, "validate_constraints"])

        let required = try #require(rendered["required"])
        #expect(
            required.steps.flatMap(\.statements) == [
                #"ALTER TABLE "Post" ADD CONSTRAINT "Post_title_not_null" CHECK ("title" IS NOT NULL) NOT VALID"#
            ]
        )
        #expect(
            required.validationSteps.flatMap(\.statements) == [
                #"ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_title_not_null""#,
                #"ALTER TABLE "Post" ALTER COLUMN "title" SET NOT NULL"#,
                #"ALTER TABLE "Post" DROP CONSTRAINT IF EXISTS "Post_title_not_null""#,
            ]
        )

        let primaryKey = try #require(rendered["primary_key"])
        #expect(primaryKey.steps.flatMap(\.statements).isEmpty, "\(primaryKey.steps)")
        #expect(
            primaryKey.concurrentSteps.flatMap(\.statements) == [
                #"DROP INDEX CONCURRENTLY IF EXISTS "Post_pkey_new""#,
                #"CREATE UNIQUE INDEX CONCURRENTLY "Post_pkey_new" ON "Post"("id", "authorId")"#,
            ]
        )
        #expect(
            primaryKey.validationSteps.flatMap(\.statements) == [
                #"ALTER TABLE "Post" DROP CONSTRAINT IF EXISTS "Post_pkey", ADD CONSTRAINT "Post_pkey" PRIMARY KEY USING INDEX "Post_pkey_new""#
            ]
        )

        let dropIndex = try #require(rendered["drop_index"])
        #expect(dropIndex.statements == [#"DROP INDEX CONCURRENTLY IF EXISTS "Post_n_idx""#])
        #expect(dropIndex.files.count == 1)

        // The plain form is Prisma's, untouched.
        let plain = MigrationPlanner.script(
            from: old,
            to: try Self.schema(Self.operations[3].schema),
            dialect: .postgres
        )
        #expect(plain.statements == [#"ALTER TABLE "Post" ALTER COLUMN "title" SET NOT NULL"#])
        #expect(plain.concurrentSteps.isEmpty && plain.validationSteps.isEmpty)
    }

    @Test func newTablesKeepThePlainFormAndDependentStatementsStayInOrder() throws {
        let old = try Self.schema(Self.base)
        // A new table: its indexes and keys are built on no rows, in the main file.
        let withTag = try Self.schema(
            Self.base.replacingOccurrences(of: "email String", with: "email String\n  tags  Tag[]")
                + """
                model Tag {
                  id     Int    @id
                  label  String @unique
                  userId Int
                  user   User   @relation(fields: [userId], references: [id])

                  @@index([userId])
                }

                """
        )
        let created = Self.online(old, withTag)
        #expect(created.concurrentSteps.isEmpty && created.validationSteps.isEmpty, "\(created.files)")
        #expect(created.files.count == 1)
        #expect(!created.sql.contains("CONCURRENTLY") && !created.sql.contains("NOT VALID"), "\(created.sql)")

        // A foreign key that needs a unique index built concurrently comes after it.
        let referencing = try Self.schema(
            Self.base.replacingOccurrences(of: "code     String", with: "code     String @unique\n  tags     Tag[]")
                + """
                model Tag {
                  id       Int    @id
                  postCode String
                  post     Post   @relation(fields: [postCode], references: [code])
                }

                """
        )
        let late = Self.online(old, referencing)
        let concurrent = late.concurrentSteps.flatMap(\.statements)
        #expect(concurrent.count == 3, "\(concurrent)")
        #expect(concurrent.last?.contains(#"DROP CONSTRAINT IF EXISTS "Tag_postCode_fkey", ADD CONSTRAINT"#) == true)
        #expect(concurrent.last?.hasSuffix("NOT VALID") == true)
        #expect(!late.steps.flatMap(\.statements).contains { $0.contains("Tag_postCode_fkey") })
        #expect(
            late.validationSteps.flatMap(\.statements) == [
                #"ALTER TABLE "Tag" VALIDATE CONSTRAINT "Tag_postCode_fkey""#
            ]
        )

        // A column whose type changes is rewritten anyway: SET NOT NULL stays with the rewrite.
        let retyped = try Self.schema(Self.base.replacingOccurrences(of: "title    String?", with: "title    Int"))
        let rewrite = Self.online(old, retyped)
        #expect(rewrite.validationSteps.flatMap(\.statements).isEmpty)
        #expect(rewrite.statements.contains { $0.hasSuffix("SET NOT NULL") })
    }

    // MARK: - On a million rows under load

    static let rows = 1_000_000

    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func onAMillionRowsThePlainFormStallsTheLoadAndTheOnlineFormDoesNot() async throws {
        // A million rows keep PostgreSQL busy for a while: never beside the timing-sensitive tests.
        try await ExclusiveTestWork.shared.run { try await compareOnAMillionRows() }
    }

    func compareOnAMillionRows() async throws {
        let url = try await MigrationTestDatabase.url(.postgres, prefix: "online_ddl")
        let old = try Self.schema(Self.base)
        try await DatabaseConnector.withSession(url) { session in
            try await session.execute(ExclusiveTestWork.oneCoreDatabase, [])
            try await LintFixture.create(old, rows: [], on: session)
            // No WAL for the seed: locks and scans are the same, the shared cluster's work is not.
            try await session.execute(#"ALTER TABLE "Post" SET UNLOGGED"#, [])
            try await session.execute(
                #"INSERT INTO "User" (email) SELECT 'user' || g || '@example.com' FROM generate_series(1, 1000) g"#,
                []
            )
            try await session.execute(
                #"INSERT INTO "Post" (title, "authorId", code, body) SELECT 'title ' || g, 1 + g % 1000, 'c' || g, repeat('x', 200) FROM generate_series(1, \#(Self.rows)) g"#,
                []
            )
            try await session.execute("ANALYZE", [])
        }
        let load = SteadyLoad(table: "Post", rows: 1000)
        let loading = Task { try await load.run(url) }
        try await Task.sleep(for: .seconds(1))
        let baseline = load.takeLongest()

        let deploys = LiveTableDeploys(url: url, load: load, table: "Post")
        func deploy(_ script: MigrationScript, _ name: String, holdingAReader: Bool = false) async throws -> (
            stall: Duration, probed: Bool
        ) {
            try await deploys.deploy(script, name, holdingAReader: holdingAReader)
        }

        /// The plain form, taken again (after reverting it) when the test process was too busy
        /// to probe while its statement ran.
        func deployPlain(_ old: SQLSchema, _ new: SQLSchema, _ name: String, holdingAReader: Bool) async throws
            -> (stall: Duration, probed: Bool)
        {
            var result: (stall: Duration, probed: Bool) = (.zero, false)
            for attempt in 1...3 {
                result = try await deploy(
                    MigrationPlanner.script(from: old, to: new, dialect: .postgres),
                    "\(name)_plain\(attempt)",
                    holdingAReader: holdingAReader
                )
                if result.probed || attempt == 3 { break }
                _ = try await deploy(
                    MigrationPlanner.script(from: new, to: old, dialect: .postgres),
                    "\(name)_retry\(attempt)"
                )
            }
            return result
        }

        var report: [String] = []
        for (name, models) in Self.operations {
            let new = try Self.schema(models)
            let heldReader = name == "drop_index"
            let (plain, probed) = try await deployPlain(old, new, name, holdingAReader: heldReader)
            #expect(probed, "\(name): a probe wrote while the plain statement ran")
            _ = try await deploy(MigrationPlanner.script(from: new, to: old, dialect: .postgres), name + "_revert")

            let script = Self.online(old, new)
            let findings = try await DatabaseConnector.withSession(url) { session in
                try await MigrationLinter(dialect: .postgres, database: session).lint(
                    sql: script.files.map(\.sql).joined(separator: "\n"),
                    before: old,
                    after: new
                )
            }
            #expect(findings.isEmpty, "\(name): the online form passes the lock lint: \(findings)")
            let online = try await deploy(script, name + "_online", holdingAReader: heldReader).stall
            let database = try await DatabaseConnector.withSession(url) { session in
                try await MigrationTestDatabase.introspect(session)
            }
            #expect(
                SchemaDiffer.changes(from: database, to: new.databaseView).isEmpty,
                "\(name): the online form reaches the schema exactly: \(SchemaDiffer.changes(from: database, to: new.databaseView))"
            )
            _ = try await deploy(
                MigrationPlanner.script(from: new, to: old, dialect: .postgres),
                name + "_revert_online"
            )

            report.append("\(name): plain \(plain), online \(online)")
            #expect(plain > .milliseconds(50), "\(name): the plain form stalls the load (\(plain))")
            #expect(
                online < max(.milliseconds(300), baseline * 2) && online * 3 < plain,
                "\(name): the online form does not stall the load: online \(online), plain \(plain), baseline \(baseline)"
            )
        }
        load.stop.store(true, ordering: .relaxed)
        try await loading.value
        print(
            "online DDL on \(Self.rows) rows, longest load stall (baseline \(baseline)): "
                + report.joined(separator: "; ")
        )
    }
}
