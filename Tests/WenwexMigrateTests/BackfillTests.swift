import Foundation
import Testing
import WenwexConfig
import WenwexMigrate
import WenwexSQL
import WenwexTestSupport

/// `-- wenwex:backfill` lines: batches by key range, each its own transaction, resumed after the
/// last batch that committed.
@Suite("Backfills in batches, resumable")
struct BackfillTests {
    static let create = MigrationFile.inMemory(
        "20260101000000_item",
        #"CREATE TABLE "Item" ("id" INTEGER PRIMARY KEY, "divisor" INTEGER NOT NULL, "touched" INTEGER NOT NULL DEFAULT 0);"#
    )
    static let expand = MigrationFile.inMemory(
        "20260102000000_score",
        """
        -- wenwex:expand
        ALTER TABLE "Item" ADD COLUMN "score" INTEGER CHECK ("score" < 50000);
        -- wenwex:backfill "Item" SET "score" = 10 * "divisor", "touched" = "touched" + 1 WHERE "score" IS NULL
        """
    )

    @Test func linesAreReadWithTheirTableAssignmentsAndCondition() throws {
        let backfills = try Backfill.declared(in: Self.expand)
        #expect(backfills.count == 1)
        #expect(backfills.first?.table == TableName("Item"))
        #expect(backfills.first?.assignments == #""score" = 10 * "divisor", "touched" = "touched" + 1"#)
        #expect(backfills.first?.condition == #""score" IS NULL"#)
        let unreadable = MigrationFile.inMemory("20260103000000_bad", "-- wenwex:backfill \"Item\" score = 1")
        #expect(throws: BackfillError.self) { try Backfill.declared(in: unreadable) }
    }

    @Test(arguments: [SQLDialect.sqlite, .postgres])
    func aFailedBatchKeepsTheBatchesBeforeItAndTheNextDeployResumesAfterThem(_ dialect: SQLDialect) async throws {
        guard dialect == .sqlite || PostgresAvailability.shouldRun else { return }
        try await MigrationTestDatabase.with(dialect, prefix: "backfill_resume") { session in
            try await MigrationDeployer(session: session, files: [Self.create]).deploy()
            // 2,500 rows; row 1,500's score would break the check.
            for start in stride(from: 1, through: 2500, by: 500) {
                let values = (start..<(start + 500)).map { "(\($0), \($0 == 1500 ? 9999 : 1))" }.joined(separator: ", ")
                try await session.execute(#"INSERT INTO "Item" ("id", "divisor") VALUES "# + values, [])
            }
            var deployer = MigrationDeployer(session: session, files: [Self.create, Self.expand])
            deployer.backfills.batchSize = 1000
            deployer.backfills.pauseRatio = 0
            let failure = await #expect(throws: BackfillError.self) { try await deployer.deploy() }
            #expect(String(describing: failure).contains("Item"), "\(String(describing: failure))")
            let stopped = try #require(try await BackfillProgress(session).unfinished().first)
            #expect(stopped.rowsDone == 1000 && stopped.lastKey == "1000", "\(stopped)")
            // The migration itself is applied; its backfill is what is left.
            #expect(try await MigrationHistory(session).records().contains { $0.name == Self.expand.name })

            try await session.execute(#"UPDATE "Item" SET "divisor" = 2 WHERE "id" = 1500"#, [])
            let resumed = try await deployer.deploy()
            #expect(resumed.applied.isEmpty)
            #expect(try await BackfillProgress(session).unfinished().isEmpty)
            let finished = try #require(
                try await BackfillProgress(session).entry(migration: Self.expand.name, position: 0)
            )
            #expect(finished.rowsDone == 2500 && finished.isFinished, "\(finished)")
            // Every row was updated exactly once: no batch ran twice.
            let counts = try await session.queryText(
                #"SELECT CAST(MIN("touched") AS TEXT), CAST(MAX("touched") AS TEXT), CAST(SUM("score") AS TEXT) FROM "Item""#,
                []
            )
            #expect(counts.first == ["1", "1", String(2499 * 10 + 20)], "\(counts)")
        }
    }

    @Test func anUnreadableLineStopsTheDeployBeforeItRuns() async throws {
        try await MigrationTestDatabase.with(.sqlite, prefix: "backfill_unreadable") { session in
            let bad = MigrationFile.inMemory(
                "20260102000000_bad",
                #"ALTER TABLE "Item" ADD COLUMN "score" INTEGER;"# + "\n-- wenwex:backfill Item score = 1\n"
            )
            await #expect(throws: BackfillError.self) {
                try await MigrationDeployer(session: session, files: [Self.create, bad]).deploy()
            }
            let applied = try await MigrationHistory(session).records().map(\.name)
            #expect(applied == [Self.create.name], "the create ran; the bad file did not: \(applied)")
        }
    }
}
