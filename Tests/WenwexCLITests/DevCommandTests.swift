import Foundation
import Testing
import WenwexConfig
import WenwexSQL
import WenwexTestSupport

/// `wenwex dev up | status | down` on a real local PostgreSQL with a streaming replica.
@Suite(.enabled(if: PostgresAvailability.shouldRun))
struct DevCommandTests {
    @Test func upWithAReplicaStatusDownAndUpAgainKeepsTheData() async throws {
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        // PostgreSQL runs as the postgres user when the tests run as root: it must reach the project.
        chmod(cli.project.path, 0o755)
        #expect(try await cli.run("init").status == 0)
        do {
            let up = try await cli.run("dev", "up", "--replicas", "1")
            #expect(up.status == 0, "\(up.stdout)\(up.stderr)")
            #expect(up.stdout.contains("Stamped"))
            let urls = try Self.urls(in: cli)
            let primary = try #require(urls.primary)
            let replica = try #require(urls.replicas.first)

            // The schema's first migration on PostgreSQL, then a row written on the primary that
            // the streaming replica replays.
            let migrate = try await cli.run("migrate", "dev", "--name", "init")
            #expect(migrate.status == 0, "\(migrate.stdout)\(migrate.stderr)")
            try await DatabaseConnector.withSession(try DatabaseURL(primary)) { session in
                try await session.execute(#"INSERT INTO "User" (email) VALUES (\#("kept@example.com"))"#)
            }
            #expect(try await Self.eventuallyCount(replica) == 1)
            let status = try await cli.run("dev", "status")
            #expect(status.status == 0)
            #expect(status.stdout.contains("replica1") && status.stdout.contains("lag "))

            let down = try await cli.run("dev", "down")
            #expect(down.status == 0)
            let stopped = try await cli.run("dev", "status")
            #expect(stopped.status == 1)
            #expect(stopped.stdout.contains("stopped"))

            let again = try await cli.run("dev", "up")
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(!again.stdout.contains("Creating"))
            let after = try Self.urls(in: cli)
            #expect(try await Self.eventuallyCount(try #require(after.primary)) == 1)
            #expect(try await Self.eventuallyCount(try #require(after.replicas.first)) == 1)
            let migrateStatus = try await cli.run("migrate", "status")
            #expect(migrateStatus.status == 0, "\(migrateStatus.stdout)\(migrateStatus.stderr)")

            let printed = try await cli.run("dev", "up", "--print")
            #expect(printed.stdout.contains("DATABASE_URL=\"\(after.primary ?? "")\""))
        } catch {
            _ = try? await cli.run("dev", "down", "--wipe")
            throw error
        }
        let wipe = try await cli.run("dev", "down", "--wipe")
        #expect(wipe.status == 0)
        #expect(!FileManager.default.fileExists(atPath: cli.project.appendingPathComponent(".wenwex/postgres").path))
        #expect(!(try cli.read(".env.dev.local")).contains("DATABASE_URL"))
    }

    static func urls(in cli: WenwexCLI) throws -> (primary: String?, replicas: [String]) {
        var primary: String?
        var replicas: [String] = []
        for line in try cli.read(".env.dev.local").split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if parts[0] == "DATABASE_URL" { primary = value }
            if parts[0] == "DATABASE_REPLICA_URLS" { replicas = value.split(separator: ",").map(String.init) }
        }
        return (primary, replicas)
    }

    /// The users' count on `url`, waiting up to 30 s for a replica to replay.
    static func eventuallyCount(_ url: String) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(30)
        var count = 0
        repeat {
            count =
                (try? await DatabaseConnector.withSession(try DatabaseURL(url), access: .readOnly) { session in
                    try await session.query(#"SELECT COUNT(*) FROM "User""#).first?[0].integer ?? 0
                }) ?? 0
            if count > 0 { return count }
            try await Task.sleep(for: .milliseconds(200))
        } while ContinuousClock.now < deadline
        return count
    }
}
