import Foundation
import Synchronization
import Testing
import WenwexConfig
import WenwexMigrate
import WenwexSQL
import WenwexTestSupport

/// Expand and contract across a rolling deploy: a contract migration waits for `--contract`,
/// and `--contract` waits until no running server was built without the migrations before it.
@Suite("Expand and contract across a rolling deploy")
struct ExpandContractTests {

    static let create = MigrationFile.inMemory(
        "20260101000000_person",
        #"CREATE TABLE "Person" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL);"#
    )
    static let expand = MigrationFile.inMemory(
        "20260102000000_full_name_expand",
        "-- wenwex:expand\n" + #"ALTER TABLE "Person" ADD COLUMN "full_name" TEXT;"#
    )
    static let contract = MigrationFile.inMemory(
        "20260103000000_full_name_contract",
        "-- wenwex:contract\n" + #"ALTER TABLE "Person" DROP COLUMN "name";"#
    )
    static let after = MigrationFile.inMemory("20260104000000_note", #"ALTER TABLE "Person" ADD COLUMN "note" TEXT;"#)

    @Test func markersAreReadFromTheirOwnLines() {
        #expect(Self.expand.phase == .expand)
        #expect(Self.contract.phase == .contract)
        #expect(Self.create.phase == .regular)
        #expect(
            MigrationFile.inMemory("x", "SELECT 1; -- wenwex:contract is only a marker on a line of its own").phase
                == .regular
        )
        #expect(
            [Self.create, Self.expand, Self.contract, Self.after].fromFirstContract.map(\.name) == [
                Self.contract.name, Self.after.name,
            ]
        )
    }

    @Test(arguments: [SQLDialect.sqlite, .postgres])
    func aContractWaitsForTheFlagAndForEveryOlderServerToStop(_ dialect: SQLDialect) async throws {
        guard dialect == .sqlite || PostgresAvailability.shouldRun else { return }
        let files = [Self.create, Self.expand, Self.contract, Self.after]
        try await MigrationTestDatabase.with(dialect, prefix: "expand_contract") { session in
            // The release before the change is running.
            let deployedOld = try await MigrationDeployer(session: session, files: [Self.create]).deploy()
            #expect(deployedOld.applied == [Self.create.name])
            let registry = ServerRegistry(session)
            try await registry.report(instance: "old-1", migrationHead: Self.create.name)

            // The new release deploys: the expand runs, the contract and what follows it wait.
            let deployed = try await MigrationDeployer(session: session, files: files).deploy()
            #expect(deployed.applied == [Self.expand.name])
            #expect(deployed.waitingForContract == [Self.contract.name, Self.after.name])
            try await registry.report(instance: "new-1", migrationHead: Self.after.name)

            // --contract refuses while the old server runs, naming it, and applies nothing.
            var contracting = MigrationDeployer(session: session, files: files)
            contracting.runsContractMigrations = true
            let refusal = await #expect(throws: MigrationDeployError.self) { try await contracting.deploy() }
            let message = refusal.map(String.init(describing:)) ?? ""
            #expect(message.contains("old-1") && message.contains(Self.expand.name), "\(message)")
            #expect(!message.contains("new-1"), "\(message)")
            _ = try await session.queryText(#"SELECT "name" FROM "Person""#, [])
            let applied = try await MigrationHistory(session).records().map(\.name)
            #expect(!applied.contains(Self.contract.name), "\(applied)")

            // A server that stopped reporting ages out; one that stopped cleanly is gone.
            let aged =
                dialect == .postgres
                ? #"UPDATE "_wenwex_servers" SET "seen_at" = now() - interval '5 minutes' WHERE "instance" = 'old-1'"#
                : #"UPDATE "_wenwex_servers" SET "seen_at" = datetime('now', '-5 minutes') WHERE "instance" = 'old-1'"#
            try await session.execute(aged, [])
            #expect(try await registry.running(within: .seconds(30)).map(\.instance) == ["new-1"])
            let contracted = try await contracting.deploy()
            #expect(contracted.applied == [Self.contract.name, Self.after.name])
            #expect(contracted.waitingForContract.isEmpty)
            try await registry.remove(instance: "new-1")
            #expect(try await registry.running(within: .seconds(30)).isEmpty)
        }
    }

    /// The rename `name` → `full_name` as a team writes it: the expand adds the new column and a
    /// trigger that keeps both in step, the contract drops the old one. Old and new code read and
    /// write throughout, and every read is correct.
    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func anExpandContractRenameKeepsOldAndNewReadersCorrectThroughout() async throws {
        let expand = MigrationFile.inMemory(
            "20260102000000_full_name_expand",
            """
            -- wenwex:expand
            ALTER TABLE "Person" ADD COLUMN "full_name" TEXT;

            CREATE FUNCTION "Person_full_name_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW."full_name" IS NULL THEN NEW."full_name" := NEW."name"; END IF;
                IF NEW."name" IS NULL THEN NEW."name" := NEW."full_name"; END IF;
                RETURN NEW;
            END $$;

            CREATE TRIGGER "Person_full_name_sync" BEFORE INSERT OR UPDATE ON "Person"
                FOR EACH ROW EXECUTE FUNCTION "Person_full_name_sync"();

            ALTER TABLE "Person" ALTER COLUMN "name" DROP NOT NULL;

            UPDATE "Person" SET "full_name" = "name" WHERE "full_name" IS NULL;
            """
        )
        let contract = MigrationFile.inMemory(
            "20260103000000_full_name_contract",
            """
            -- wenwex:contract
            DROP TRIGGER "Person_full_name_sync" ON "Person";
            DROP FUNCTION "Person_full_name_sync"();
            ALTER TABLE "Person" DROP COLUMN "name";
            """
        )
        let url = try await MigrationTestDatabase.url(.postgres, prefix: "expand_contract_rename")
        let files = [Self.create, expand, contract]
        try await DatabaseConnector.withSession(url) { session in
            try await MigrationDeployer(session: session, files: [Self.create]).deploy()
            try await session.execute(
                #"INSERT INTO "Person" SELECT g, 'person ' || g FROM generate_series(1, 200) g"#,
                []
            )
            try await ServerRegistry(session).report(instance: "old", migrationHead: Self.create.name)
        }

        /// Writes a row, then reads it back by the name its release knows; counts wrong reads.
        final class Client: Sendable {
            let column: String
            let wrong = Mutex<[String]>([])
            let rounds = Mutex(0)
            let stop = Atomic(false)
            init(column: String) { self.column = column }

            func run(_ url: DatabaseURL, ids: ClosedRange<Int>) async throws {
                let session = try await DatabaseConnector.open(url)
                var id = ids.lowerBound
                while !stop.load(ordering: .relaxed), id <= ids.upperBound {
                    let expected = "\(column) \(id)"
                    try await session.execute(
                        #"INSERT INTO "Person" ("id", "\#(column)") VALUES ($1, $2)"#,
                        [.integer(id), .text(expected)]
                    )
                    let read = try await session.queryText(
                        #"SELECT "\#(column)" FROM "Person" WHERE "id" = $1"#,
                        [.integer(id)]
                    )
                    if read.first?.first != expected {
                        wrong.withLock { $0.append("\(id): \(String(describing: read))") }
                    }
                    // An old row, written before the change, read by this release's name.
                    let old = try await session.queryText(#"SELECT "\#(column)" FROM "Person" WHERE "id" = 7"#, [])
                    if old.first?.first != "person 7" { wrong.withLock { $0.append("7: \(String(describing: old))") } }
                    rounds.withLock { $0 += 1 }
                    id += 1
                    try await Task.sleep(for: .milliseconds(2))
                }
                try await session.close()
            }
        }

        // The old release keeps running until the contract; the new one starts after the expand.
        let oldClient = Client(column: "name")
        let oldRunning = Task { try await oldClient.run(url, ids: 1000...9999) }
        try await Task.sleep(for: .milliseconds(200))
        let deployed = try await DatabaseConnector.withSession(url) { session in
            try await MigrationDeployer(session: session, files: files).deploy()
        }
        #expect(deployed.applied == [expand.name] && deployed.waitingForContract == [contract.name])
        let newClient = Client(column: "full_name")
        let newRunning = Task { try await newClient.run(url, ids: 10000...19999) }
        try await DatabaseConnector.withSession(url) { session in
            try await ServerRegistry(session).report(instance: "new", migrationHead: contract.name)
        }
        try await Task.sleep(for: .milliseconds(500))
        let refused = await #expect(throws: MigrationDeployError.self) {
            try await DatabaseConnector.withSession(url) { session in
                var deployer = MigrationDeployer(session: session, files: files)
                deployer.runsContractMigrations = true
                return try await deployer.deploy()
            }
        }
        #expect(String(describing: refused).contains("old"))

        // The old release is gone: the contract runs while the new release keeps working.
        oldClient.stop.store(true, ordering: .relaxed)
        try await oldRunning.value
        try await DatabaseConnector.withSession(url) { session in
            try await ServerRegistry(session).remove(instance: "old")
            var deployer = MigrationDeployer(session: session, files: files)
            deployer.runsContractMigrations = true
            let contracted = try await deployer.deploy()
            #expect(contracted.applied == [contract.name])
        }
        try await Task.sleep(for: .milliseconds(300))
        newClient.stop.store(true, ordering: .relaxed)
        try await newRunning.value
        #expect(oldClient.rounds.withLock { $0 } > 5 && newClient.rounds.withLock { $0 } > 5)
        #expect(oldClient.wrong.withLock { $0 }.isEmpty, "\(oldClient.wrong.withLock { $0 })")
        #expect(newClient.wrong.withLock { $0 }.isEmpty, "\(newClient.wrong.withLock { $0 })")
        let rows = try await DatabaseConnector.withSession(url) { session in
            try await session.queryText(#"SELECT count(*)::text FROM "Person" WHERE "full_name" IS NULL"#, [])
        }
        #expect(rows.first?.first == "0", "every row, old and new, has its full name")
    }
}
