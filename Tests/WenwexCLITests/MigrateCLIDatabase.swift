import Foundation
import WenwexConfig
import WenwexSQL

/// Reaching the example project's dev database directly, the way a person with `sqlite3`
/// would, to make drift or check what a command did.
enum MigrateCLIDatabase {
    static func devDatabase(_ cli: WenwexCLI) throws -> DatabaseURL {
        try DatabaseURL("file:" + cli.project.appendingPathComponent(".wenwex/dev.db").path)
    }

    static func sqlite(_ cli: WenwexCLI, _ sql: String) async throws {
        try await DatabaseConnector.withSession(try devDatabase(cli)) { try await $0.execute(sql, []) }
    }

    static func sqliteValue(_ cli: WenwexCLI, _ sql: String) async throws -> String? {
        try await DatabaseConnector.withSession(try devDatabase(cli)) { session in
            try await session.queryText(sql, []).first?.first ?? nil
        }
    }

    static func writeMigration(_ cli: WenwexCLI, _ name: String, _ sql: String) throws {
        let folder = cli.project.appendingPathComponent("prisma/migrations/\(name)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try sql.write(to: folder.appendingPathComponent("migration.sql"), atomically: true, encoding: .utf8)
    }

    /// `count` migrations: a counter table, then one row added by each of the others, so a
    /// migration applied twice shows up as an extra row.
    static func writeManyMigrations(_ cli: WenwexCLI, count: Int) throws {
        try writeMigration(cli, "20260101000000_counter", #"CREATE TABLE "counter" ("n" INTEGER NOT NULL);"#)
        for index in 1..<count {
            let stamp = String(format: "202601%02d000000", index + 1)
            try writeMigration(
                cli,
                "\(stamp)_step_\(index)",
                #"INSERT INTO "counter" ("n") VALUES (\#(index)); CREATE TABLE "t\#(index)" ("id" INTEGER);"#
            )
        }
    }

    /// A shell script (`$0` is the `wenwex` binary) that starts `migrate deploy`, waits until it
    /// says it is applying `migration`, lets it run for `after` seconds, and kills it with
    /// SIGKILL, as a crashed or evicted deploy would die. Prints what the deploy printed.
    static func killWhenApplying(_ migration: String, after seconds: String) -> String {
        """
        out=$(mktemp); "$0" migrate deploy > "$out" 2>&1 & pid=$!
        for _ in $(seq 1 600); do grep -q "Applying migration \(migration)" "$out" && break; sleep 0.1; done
        sleep \(seconds); kill -9 $pid; wait $pid; cat "$out"; rm -f "$out"
        """
    }
}
