import Foundation
import Testing
import WenwexTestSupport

/// The harness every later PostgreSQL suite relies on, read-replica tests first among them.
@Suite("PostgreSQL test harness", .enabled(if: PostgresAvailability.shouldRun))
struct PostgresClusterHarnessTests {
    @Test func streamingReplicasReplicateSurviveAnImmediateStopAndCatchUp() async throws {
        try await PostgresCluster.withCluster(replicas: 1) { cluster in
            let second = try await cluster.addReplica()
            #expect(cluster.replicas.count == 2)
            #expect(Set(cluster.replicas.map(\.port)).count == 2)
            #expect(!cluster.replicas.map(\.port).contains(cluster.primary.port))

            _ = try await cluster.psql(
                "CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 100)"
            )
            try await cluster.waitForReplay()
            for replica in cluster.replicas {
                #expect(try await cluster.psql("SELECT count(*) FROM items", on: replica) == "100")
                #expect(try await cluster.psql("SELECT pg_is_in_recovery()", on: replica) == "t")
            }
            #expect(try await cluster.psql("SELECT count(*) FROM pg_stat_replication") == "2")

            try await cluster.stop(second, mode: .immediate)
            _ = try await cluster.psql("INSERT INTO items SELECT generate_series(101, 150)")
            try await cluster.start(second)
            try await cluster.waitForReplay()
            #expect(try await cluster.psql("SELECT count(*) FROM items", on: second) == "150")
        }
    }

    @Test func createdDatabasesAreSeparate() async throws {
        let first = try await SharedPostgres.freshDatabase(prefix: "harness")
        let second = try await SharedPostgres.freshDatabase(prefix: "harness")
        #expect(first != second)
        let cluster = try await SharedPostgres.cluster()
        let names = try await cluster.psql("SELECT datname FROM pg_database ORDER BY datname")
        for url in [first, second] {
            #expect(names.split(separator: "\n").contains(url.split(separator: "/").last!))
        }
    }
}
