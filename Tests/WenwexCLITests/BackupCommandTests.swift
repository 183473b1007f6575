import Foundation
import Testing
import WenwexConfig
import WenwexSQL
import WenwexTestSupport

/// `wenwex backup` as an operator and a monitoring job run it: exit statuses, and what a
/// killed backup leaves behind.
@Suite("wenwex backup")
struct BackupCommandTests {
    func sqliteProject() throws -> WenwexCLI {
        let cli = try WenwexCLI(empty: ())
        try cli.write(".env", "DATABASE_URL=file:./shop.db\n")
        return cli
    }

    func createTable(_ cli: WenwexCLI) async throws {
        let url = try DatabaseURL("file:" + cli.project.appendingPathComponent("shop.db").path)
        try await DatabaseConnector.withSession(url) { session in
            try await session.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)", [])
            try await session.execute("INSERT INTO item (name) VALUES ('a'), ('b'), ('c')", [])
        }
    }

    @Test func createVerifyAndCheckReportThroughTheirExitStatus() async throws {
        let cli = try sqliteProject()
        defer { cli.remove() }
        try await createTable(cli)

        let created = try await cli.run("backup", "create")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("1 tables, 3 rows"), "\(created.stdout)")
        let id = try #require(created.stdout.split(separator: "\n").dropFirst().first?.split(separator: " ").first)

        let unverified = try await cli.run("backup", "check", "--max-age", "1h")
        #expect(unverified.status == 1, "no verified backup yet: \(unverified.stdout)")
        #expect(unverified.stderr.contains("no verified backup"))

        let verified = try await cli.run("backup", "verify", "--latest")
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(try await cli.run("backup", "check", "--max-age", "1h").status == 0)
        let stale = try await cli.run("backup", "check", "--max-age", "0s", "--json")
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("\"ok\" : false"))

        // The stored payload changes under the manifest: verify fails and check reports it.
        let payload = cli.project.appendingPathComponent(".wenwex/backups/objects/dev/\(id)/payload")
        var bytes = try Data(contentsOf: payload)
        bytes[bytes.count / 2] ^= 0xff
        try bytes.write(to: payload)
        let failed = try await cli.run("backup", "verify", String(id))
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("SHA-256"), "\(failed.stdout)")
        let afterFailure = try await cli.run("backup", "check", "--max-age", "1h")
        #expect(afterFailure.status == 1)
        #expect(afterFailure.stderr.contains("failed verification"))

        let list = try await cli.run("backup", "list")
        #expect(list.stdout.contains("\(id)") && list.stdout.contains("FAILED verification"))
    }

    @Test func mistakesAreUsageErrorsThatChangeNothing() async throws {
        let cli = try sqliteProject()
        defer { cli.remove() }
        try await createTable(cli)
        let missing = try await cli.run("backup", "verify", "20261202T000000Z-0000")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no backup 20261202T000000Z-0000"))
        let badPolicy = try await cli.run("backup", "prune", "--keep", "24 hourlies")
        #expect(badPolicy.status == 2)
        #expect(badPolicy.stderr.contains("is not '<count> <period>'"))
        let badKey = try await cli.run("backup", "create", environment: ["BACKUP_ENCRYPTION_KEY": "short"])
        #expect(badKey.status == 2)
        #expect(badKey.stderr.contains("BACKUP_ENCRYPTION_KEY"))
        #expect(!badKey.stderr.contains("short"), "a secret is never printed")
        let required = try await cli.run("backup", "create", environment: ["BACKUP_ENCRYPTION": "required"])
        #expect(required.status == 2)
        #expect(required.stderr.contains("must be encrypted"))
        let objects = cli.project.appendingPathComponent(".wenwex/backups/objects")
        let stored = FileManager.default.enumerator(atPath: objects.path)?.allObjects ?? []
        #expect(stored.isEmpty, "nothing was written: \(stored)")
        let replace = try await cli.run("backup", "restore", "latest", "--environment", "dev")
        #expect(replace.status == 2, "--environment without --force")
    }

    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func aBackupKilledMidwayLeavesNoManifestThatClaimsSuccess() async throws {
        let url = try await SharedPostgres.freshDatabase(prefix: "killed_backup")
        let database = try DatabaseURL(url)
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        try cli.write(".env", "DATABASE_URL=\(url)\n")
        let holder = try await DatabaseConnector.open(database)
        try await holder.execute("CREATE TABLE item (id serial PRIMARY KEY, name text)", [])
        try await holder.execute("INSERT INTO item (name) SELECT 'n' || g FROM generate_series(1, 1000) g", [])
        // The backup blocks on this lock, part-way: its snapshot taken, pg_dump started.
        try await holder.execute("BEGIN", [])
        try await holder.execute("LOCK TABLE item IN ACCESS EXCLUSIVE MODE", [])

        let backup = try RunningCommand(cli, ["backup", "create"], environment: ["DATABASE_URL": url])
        let name = url.split(separator: "/").last.map(String.init) ?? ""
        // Watched from its own session: inside the holder's transaction pg_stat_activity is one
        // snapshot taken at its first read, so the holder would never see the backup arrive.
        let observer = try await DatabaseConnector.open(database)
        let deadline = ContinuousClock.now + .seconds(120)
        var waiting = 0
        while waiting == 0, ContinuousClock.now < deadline, !backup.hasExited {
            try await Task.sleep(for: .milliseconds(100))
            waiting =
                try await observer.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
                    [.text(name)]
                ).first?[0].integer ?? 0
        }
        if waiting == 0 {
            let sessions = try await observer.queryText(
                "SELECT coalesce(application_name, '') || ' ' || coalesce(state, '') || ' '"
                    + " || coalesce(wait_event_type, '') || ' ' || coalesce(left(query, 80), '')"
                    + " FROM pg_stat_activity WHERE datname = $1",
                [.text(name)]
            )
            Issue.record(
                "the backup never waited on the lock (exited: \(backup.hasExited)); output: \(backup.output); sessions: \(sessions)"
            )
        }
        try await observer.close()
        #expect(try await backup.stop(signal: SIGKILL) != 0)
        try await holder.execute("ROLLBACK", [])
        try await holder.close()

        let list = try await cli.run("backup", "list", "--json", environment: ["DATABASE_URL": url])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(
            list.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || list.stdout.contains("[]"),
            "\(list.stdout)"
        )
        let check = try await cli.run("backup", "check", environment: ["DATABASE_URL": url])
        #expect(check.status == 1)
        // And the next backup, unhindered, succeeds.
        let next = try await cli.run("backup", "create", "--verify", environment: ["DATABASE_URL": url])
        #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
        #expect(next.stdout.contains("1000 rows") && next.stdout.contains("verified"), "\(next.stdout)")
    }
}
