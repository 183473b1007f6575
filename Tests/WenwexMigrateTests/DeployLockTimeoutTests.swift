import Foundation
import Synchronization
import Testing
import WenwexConfig
import WenwexMigrate
import WenwexSQL
import WenwexTestSupport

/// A deploy behind a long transaction: with `lock_timeout` it gives up its lock attempt, so the
/// traffic queued behind it runs on, and retries until the transaction ends.
@Suite("migrate deploy behind a long transaction", .enabled(if: PostgresAvailability.shouldRun))
struct DeployLockTimeoutTests {
    static let migration = MigrationFile.inMemory(
        "20260201000000_add_note",
        #"ALTER TABLE "item" ADD COLUMN "note" TEXT;"#
    )

    final class Counter: Sendable {
        let value = Mutex(0)
    }

    /// Deploys the migration while another session holds `item` in a transaction; the
    /// holder commits after `releaseAfterRetries` retries (the safe deploy) or after `hold`
    /// (the plain one, which never retries). Returns the deploy's retries, how long it took,
    /// the longest a load query waited inside PostgreSQL while it ran, and the same before it.
    /// The measurement never runs beside the suite's heaviest tests, whose work would read as
    /// a stall of the load here.
    func deployBehindALongTransaction(
        policy: MigrationLockRetry,
        releaseAfterRetries: Int?,
        hold: Duration,
        migration: MigrationFile = Self.migration
    )
        async throws
        -> (retries: Int, took: Duration, stall: Duration, baseline: Duration)
    {
        try await ExclusiveTestWork.shared.run {
            try await measureDeployBehindALongTransaction(
                policy: policy,
                releaseAfterRetries: releaseAfterRetries,
                hold: hold,
                migration: migration
            )
        }
    }

    func measureDeployBehindALongTransaction(
        policy: MigrationLockRetry,
        releaseAfterRetries: Int?,
        hold: Duration,
        migration: MigrationFile
    )
        async throws
        -> (retries: Int, took: Duration, stall: Duration, baseline: Duration)
    {
        let url = try await MigrationTestDatabase.url(.postgres, prefix: "deploy_lock_timeout")
        let holder = try await DatabaseConnector.open(url)
        try await holder.execute(#"CREATE TABLE "item" (id INT PRIMARY KEY, n INT NOT NULL)"#, [])
        try await holder.execute(#"INSERT INTO "item" SELECT g, 0 FROM generate_series(1, 100) g"#, [])
        let load = SteadyLoad(table: "item", rows: 100)
        let loading = Task { try await load.run(url) }
        // The machine's own noise: the same load with no migration running.
        try await Task.sleep(for: .seconds(1))
        let baseline = load.takeLongest()

        // A report or a forgotten psql session: a transaction that read the table and stays open.
        try await holder.execute("BEGIN", [])
        _ = try await holder.query(#"SELECT * FROM "item" LIMIT 1"#, [])
        let retries = Counter()
        let releasing = Task {
            let deadline = ContinuousClock.now + .seconds(60)
            if let releaseAfterRetries {
                while retries.value.withLock({ $0 }) < releaseAfterRetries, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
            } else {
                try await Task.sleep(for: hold)
            }
            try await holder.execute("COMMIT", [])
        }
        let started = ContinuousClock.now
        try await DatabaseConnector.withSession(url) { session in
            var deployer = MigrationDeployer(session: session, files: [migration])
            deployer.lockRetry = policy
            deployer.onLockRetry = { _, _, _ in retries.value.withLock { $0 += 1 } }
            try await deployer.deploy()
        }
        let took = ContinuousClock.now - started
        try await releasing.value
        // A load query that queued behind the deploy may still be on its way back.
        try await load.settle()
        let stall = load.longest.withLock { $0 }
        load.stop.store(true, ordering: .relaxed)
        try await loading.value
        let columns = try await holder.queryText(
            "SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'item' AND column_name = 'note'",
            []
        )
        try await holder.close()
        #expect(columns.first == ["1"], "the migration was applied in the end")
        return (retries.value.withLock { $0 }, took, stall, baseline)
    }

    @Test func aLockTimeoutLetsTrafficPassAndTheDeployRetriesUntilTheTransactionEnds() async throws {
        let lockTimeout = Duration.milliseconds(200)
        let safe = try await deployBehindALongTransaction(
            policy: MigrationLockRetry(
                lockTimeout: lockTimeout,
                maxWait: .seconds(60),
                initialBackoff: .milliseconds(100)
            ),
            releaseAfterRetries: 3,
            hold: .zero
        )
        #expect(safe.retries >= 3, "it gave up and tried again until the transaction ended: \(safe.retries)")

        // Without a lock timeout the ALTER queues behind the transaction and everything queues behind it.
        let hold = Duration.seconds(6)
        let plain = try await deployBehindALongTransaction(policy: .disabled, releaseAfterRetries: nil, hold: hold)
        #expect(plain.retries == 0)
        #expect(plain.took >= hold - .milliseconds(500), "\(plain.took)")
        // The ALTER starts waiting once the deploy has connected and taken its lock, some time
        // into the hold; from then on every load query queues behind it until the hold ends.
        #expect(plain.stall >= hold / 2, "the plain deploy stalls the load: \(plain.stall)")

        // Queries queue behind each attempt for at most its lock_timeout, measured by the server.
        let bound = max(.seconds(1), safe.baseline * 2 + lockTimeout)
        #expect(
            safe.stall < bound,
            "the load kept running: longest stall \(safe.stall), baseline \(safe.baseline), plain \(plain.stall)"
        )
    }

    /// A file that cannot run in a transaction (the online form's index builds) bounds each
    /// statement's lock wait and retries the statement alone: it committed nothing.
    @Test func aFileOutsideATransactionRetriesEachStatementThatTimesOut() async throws {
        let sql = """
            ALTER TABLE "item" ADD COLUMN "note" TEXT;
            CREATE INDEX CONCURRENTLY "item_n_idx" ON "item"("n");
            """
        let migration = MigrationFile.inMemory("20260201000000_note_and_index", sql)
        let lockTimeout = Duration.milliseconds(200)
        let safe = try await deployBehindALongTransaction(
            policy: MigrationLockRetry(
                lockTimeout: lockTimeout,
                maxWait: .seconds(60),
                initialBackoff: .milliseconds(100)
            ),
            releaseAfterRetries: 3,
            hold: .zero,
            migration: migration
        )
        #expect(safe.retries >= 3, "the ALTER gave up and tried again until the transaction ended: \(safe.retries)")
        #expect(
            safe.stall < max(.seconds(1), safe.baseline * 2 + lockTimeout),
            "the load kept running: longest stall \(safe.stall), baseline \(safe.baseline)"
        )
    }

    @Test func aDeployThatNeverGetsItsLockGivesUpWithoutAFailureRecord() async throws {
        let url = try await MigrationTestDatabase.url(.postgres, prefix: "deploy_lock_gives_up")
        let holder = try await DatabaseConnector.open(url)
        try await holder.execute(#"CREATE TABLE "item" (id INT PRIMARY KEY, n INT NOT NULL)"#, [])
        try await holder.execute("BEGIN", [])
        _ = try await holder.query(#"SELECT * FROM "item""#, [])
        let error = await #expect(throws: MigrationDeployError.self) {
            try await DatabaseConnector.withSession(url) { session in
                var deployer = MigrationDeployer(session: session, files: [Self.migration])
                deployer.lockRetry = MigrationLockRetry(
                    lockTimeout: .milliseconds(100),
                    maxWait: .seconds(1),
                    initialBackoff: .milliseconds(100)
                )
                try await deployer.deploy()
            }
        }
        #expect(String(describing: error).contains("lock"), "\(String(describing: error))")
        try await holder.execute("ROLLBACK", [])
        // Nothing was applied and nothing needs resolving: the next deploy simply runs it.
        let next = try await DatabaseConnector.withSession(url) { session in
            try await MigrationDeployer(session: session, files: [Self.migration]).deploy()
        }
        #expect(next.applied == [Self.migration.name])
        try await holder.close()
    }
}
