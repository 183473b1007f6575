import Foundation
import Testing
import WenwexMigrate
import WenwexSQL
import WenwexTestSupport

@Suite("migrate deploy and resolve")
struct DeployTests {
    static let dialects: [SQLDialect] = PostgresAvailability.shouldRun ? [.sqlite, .postgres] : [.sqlite]

    static let initial: [(String, String)] = [
        ("20260101000000_init", #"CREATE TABLE "users" ("id" INTEGER NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);"#),
        (
            "20260102000000_add_referral_code",
            """
            -- AlterTable
            ALTER TABLE "users" ADD COLUMN "referral_code" TEXT;

            -- CreateIndex
            CREATE UNIQUE INDEX "users_referral_code_key" ON "users"("referral_code");
            """
        ),
    ]

    static func tables(_ session: any SQLSession) async throws -> [String] {
        try await MigrationTestDatabase.introspect(session).tables.map(\.name)
    }

    @Test(arguments: dialects)
    func appliesPendingMigrationsInOrderOnce(dialect: SQLDialect) async throws {
        let migrations = try TemporaryMigrations(Self.initial)
        defer { migrations.remove() }
        try await MigrationTestDatabase.with(dialect, prefix: "deploy_order") { session in
            var names: [String] = []
            let first = try await MigrationDeployer(session: session, files: try migrations.files()).deploy {
                names.append($0)
            }
            #expect(first.applied == ["20260101000000_init", "20260102000000_add_referral_code"])
            #expect(names == first.applied)
            let second = try await MigrationDeployer(session: session, files: try migrations.files()).deploy()
            #expect(second.applied.isEmpty)
            let records = try await MigrationHistory(session).records()
            #expect(records.map(\.name) == first.applied)
            #expect(records.allSatisfy { $0.state == .applied && $0.appliedStepsCount > 0 })
            #expect(records.map(\.checksum) == (try migrations.files()).map(\.checksum))
            let status = MigrationStatus(files: try migrations.files(), records: records)
            #expect(status.isUpToDate)
            #expect(try await MigrationTestDatabase.introspect(session).table("users")?.column("referral_code") != nil)
        }
    }

    @Test(arguments: dialects)
    func aFailingMigrationRollsBackWholeIsRecordedAndBlocksUntilResolved(dialect: SQLDialect) async throws {
        let migrations = try TemporaryMigrations(Self.initial)
        defer { migrations.remove() }
        try migrations.write(
            "20260103000000_broken",
            """
            CREATE TABLE "orders" ("id" INTEGER NOT NULL PRIMARY KEY);
            INSERT INTO "users" ("id", "email") VALUES (1, 'a@example.com');
            INSERT INTO "users" ("id", "email") VALUES (1, 'b@example.com');
            """
        )
        try await MigrationTestDatabase.with(dialect, prefix: "deploy_fail") { session in
            let error = await #expect(throws: MigrationDeployError.self) {
                try await MigrationDeployer(session: session, files: try migrations.files()).deploy()
            }
            #expect(error?.description.contains("migration 20260103000000_broken failed and was rolled back") == true)
            #expect(error?.description.contains("statement 3 failed") == true)
            // Rolled back whole: no table from its first statement, no row from its second.
            #expect(try await Self.tables(session) == ["users"])
            #expect(try await session.queryText(#"SELECT COUNT(*) FROM "users""#).first?.first == "0")
            let failed = try await MigrationHistory(session).records().filter { $0.state == .failed }
            #expect(failed.map(\.name) == ["20260103000000_broken"])
            #expect(failed.first?.logs?.contains("statement 3") == true)

            // Refused until resolved, naming the migration.
            let refusal = await #expect(throws: MigrationDeployError.self) {
                try await MigrationDeployer(session: session, files: try migrations.files()).deploy()
            }
            #expect(refusal?.description.contains("20260103000000_broken failed earlier") == true)
            #expect(refusal?.description.contains("migrate resolve --rolled-back 20260103000000_broken") == true)

            // Fix the file (it was never applied, so editing it is fine), resolve, deploy.
            try migrations.write(
                "20260103000000_broken",
                #"CREATE TABLE "orders" ("id" INTEGER NOT NULL PRIMARY KEY);"#
            )
            try await MigrationResolver.markRolledBack("20260103000000_broken", session: session)
            let result = try await MigrationDeployer(session: session, files: try migrations.files()).deploy()
            #expect(result.applied == ["20260103000000_broken"])
            #expect(try await Self.tables(session) == ["orders", "users"])
        }
    }

    @Test(arguments: dialects)
    func resolveAppliedRecordsWithoutRunning(dialect: SQLDialect) async throws {
        let migrations = try TemporaryMigrations(Self.initial)
        defer { migrations.remove() }
        try await MigrationTestDatabase.with(dialect, prefix: "deploy_resolve") { session in
            try await session.execute(
                #"CREATE TABLE "users" ("id" INTEGER NOT NULL PRIMARY KEY, "email" TEXT NOT NULL)"#
            )
            try await MigrationResolver.markApplied(
                "20260101000000_init",
                files: try migrations.files(),
                session: session
            )
            let result = try await MigrationDeployer(session: session, files: try migrations.files()).deploy()
            #expect(result.applied == ["20260102000000_add_referral_code"])
            await #expect(throws: MigrationResolveError.self) {
                try await MigrationResolver.markApplied(
                    "20260101000000_init",
                    files: try migrations.files(),
                    session: session
                )
            }
            await #expect(throws: MigrationResolveError.self) {
                try await MigrationResolver.markRolledBack("20260101000000_init", session: session)
            }
            await #expect(throws: MigrationResolveError.self) {
                try await MigrationResolver.markApplied("nope", files: try migrations.files(), session: session)
            }
        }
    }

    @Test(arguments: dialects)
    func anEditedAppliedMigrationIsRefusedByName(dialect: SQLDialect) async throws {
        let migrations = try TemporaryMigrations(Self.initial)
        defer { migrations.remove() }
        try await MigrationTestDatabase.with(dialect, prefix: "deploy_edit") { session in
            try await MigrationDeployer(session: session, files: try migrations.files()).deploy()
            try migrations.write("20260101000000_init", #"CREATE TABLE "users" ("id" INTEGER NOT NULL PRIMARY KEY);"#)
            try migrations.write("20260104000000_more", #"CREATE TABLE "more" ("id" INTEGER NOT NULL PRIMARY KEY);"#)
            let error = await #expect(throws: MigrationDeployError.self) {
                try await MigrationDeployer(session: session, files: try migrations.files()).deploy()
            }
            #expect(
                error?.description.contains("migration 20260101000000_init was edited after it was applied") == true
            )
            // Nothing ran: the pending migration waits until the history is trusted again.
            #expect(try await Self.tables(session) == ["users"])
            let status = MigrationStatus(
                files: try migrations.files(),
                records: try await MigrationHistory(session).records()
            )
            #expect(status.edited.map(\.name) == ["20260101000000_init"])
            #expect(status.pending.map(\.name) == ["20260104000000_more"])
        }
    }

    @Test(arguments: dialects)
    func aDatabaseAheadOfTheFolderIsRefused(dialect: SQLDialect) async throws {
        let migrations = try TemporaryMigrations(Self.initial)
        defer { migrations.remove() }
        try await MigrationTestDatabase.with(dialect, prefix: "deploy_ahead") { session in
            try await MigrationDeployer(session: session, files: try migrations.files()).deploy()
            let older = try TemporaryMigrations([Self.initial[0]])
            defer { older.remove() }
            let error = await #expect(throws: MigrationDeployError.self) {
                try await MigrationDeployer(session: session, files: try older.files()).deploy()
            }
            #expect(error?.description.contains("lacks: 20260102000000_add_referral_code") == true)
        }
    }

    /// In one process on PostgreSQL: several connections race for the advisory lock. (Two
    /// processes racing, on both dialects, are in the CLI tests: in one process, SQLite
    /// connections waiting for the write lock would share one small thread pool.)
    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func concurrentDeploysApplyEachMigrationOnce() async throws {
        let dialect = SQLDialect.postgres
        var pairs = Self.initial
        for index in 3..<12 {
            let day = index < 10 ? "0\(index)" : "\(index)"
            pairs.append(
                (
                    "202601\(day)000000_table_\(index)",
                    #"CREATE TABLE "t\#(index)" ("id" INTEGER NOT NULL PRIMARY KEY); INSERT INTO "users" ("id", "email") VALUES (\#(index), 'x');"#
                )
            )
        }
        let migrations = try TemporaryMigrations(pairs)
        defer { migrations.remove() }
        let url = try await MigrationTestDatabase.url(dialect, prefix: "deploy_concurrent")
        let files = try migrations.files()
        let results = try await withThrowingTaskGroup(of: DeployResult.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await DatabaseConnector.withSession(url) { session in
                        try await MigrationDeployer(session: session, files: files).deploy()
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let applied = results.flatMap(\.applied)
        #expect(applied.sorted() == files.map(\.name))
        try await DatabaseConnector.withSession(url) { session in
            let records = try await MigrationHistory(session).records()
            #expect(records.count == files.count)
            #expect(records.allSatisfy { $0.state == .applied })
            // Each data statement ran exactly once.
            #expect(try await session.queryText(#"SELECT COUNT(*) FROM "users""#).first?.first == "\(files.count - 2)")
        }
    }

    @Test func aPrismaManagedDatabaseIsAdoptedAsItIs() async throws {
        try #require(PostgresAvailability.shouldRun)
        let migrations = try TemporaryMigrations(Self.initial)
        defer { migrations.remove() }
        try await MigrationTestDatabase.with(.postgres, prefix: "deploy_adopt") { session in
            // What `prisma migrate deploy` leaves behind: its table, its rows, the schema.
            try await session.execute(
                """
                CREATE TABLE "_prisma_migrations" (
                    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
                    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
                    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)
                """
            )
            for file in try migrations.files() {
                try await MigrationScriptRunner.run(file.sql, on: session)
                try await session.execute(
                    #"INSERT INTO "_prisma_migrations" VALUES (gen_random_uuid()::text, $1, now(), $2, NULL, NULL, now(), 1)"#,
                    [.text(file.checksum), .text(file.name)]
                )
            }
            let result = try await MigrationDeployer(session: session, files: try migrations.files()).deploy()
            #expect(result.applied.isEmpty)
            let status = MigrationStatus(
                files: try migrations.files(),
                records: try await MigrationHistory(session).records()
            )
            #expect(status.isUpToDate)
            #expect(status.applied.count == 2)
        }
    }

    /// The server ends the deploying connection mid-migration (as when its process dies): the
    /// transaction and its history row vanish together, and the next deploy runs it cleanly.
    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func aDeployWhoseConnectionDiesLeavesNothingHalfDoneAndRunsAgain() async throws {
        let migrations = try TemporaryMigrations(Self.initial)
        defer { migrations.remove() }
        try migrations.write(
            "20260103000000_slow",
            #"CREATE TABLE "slow" ("id" INTEGER NOT NULL PRIMARY KEY); SELECT pg_sleep(3);"#
        )
        let url = try await MigrationTestDatabase.url(.postgres, prefix: "deploy_killed")
        let files = try migrations.files()
        let doomed = Task {
            try await DatabaseConnector.withSession(url) { session in
                try await MigrationDeployer(session: session, files: files).deploy()
            }
        }
        var terminated = false
        try await DatabaseConnector.withSession(url) { observer in
            // Generous: under a full parallel test run the deploy may take a while to get there.
            for _ in 0..<1200 where !terminated {
                let sleeping = try await observer.queryText(
                    """
                    SELECT pid FROM pg_stat_activity
                    WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()
                    """
                )
                if let pid = sleeping.first?.first ?? nil {
                    _ = try await observer.query("SELECT pg_terminate_backend(\(unsafeRaw: pid))")
                    terminated = true
                } else {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
        }
        #expect(terminated)
        await #expect(throws: (any Error).self) { try await doomed.value }
        try await DatabaseConnector.withSession(url) { session in
            let records = try await MigrationHistory(session).records()
            #expect(records.map(\.name) == ["20260101000000_init", "20260102000000_add_referral_code"])
            #expect(try await Self.tables(session) == ["users"])
            let result = try await MigrationDeployer(session: session, files: files).deploy()
            #expect(result.applied == ["20260103000000_slow"])
        }
    }
}
