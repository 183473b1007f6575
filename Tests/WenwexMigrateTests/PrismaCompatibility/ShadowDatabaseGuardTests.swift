import Foundation
import Testing
import WenwexConfig
import WenwexMigrate
import WenwexSQL
import WenwexTestSupport

/// A shadow database the user names is emptied before each use, so one that holds an
/// environment's data is refused first.
@Suite("Given shadow databases", .enabled(if: PostgresAvailability.shouldRun))
struct ShadowDatabaseGuardTests {
    @Test func aStampedDatabaseIsNeverUsedAsTheShadow() async throws {
        let url = try DatabaseURL(try await SharedPostgres.freshDatabase(prefix: "shadow_stamped"))
        try await DatabaseConnector.withSession(url) { session in
            try await IdentityStampStore(session: session, url: url).write(
                IdentityStamp(
                    project: "shop",
                    environment: "staging",
                    tier: .staging,
                    instanceID: "i-1",
                    stampedAt: Date(),
                    stampedBy: "test"
                )
            )
            try await session.execute(#"CREATE TABLE "orders" ("id" INTEGER)"#)
        }
        let error = await #expect(throws: MigrationDirectoryError.self) {
            try await ShadowDatabase.with(given: url) { _ in () }
        }
        #expect(error?.description.contains("environment 'staging'") == true)
        let kept = try await DatabaseConnector.withSession(url) { session in
            try await session.queryText("SELECT count(*)::text FROM pg_tables WHERE tablename = 'orders'").first?.first
                ?? nil
        }
        #expect(kept == "1")
    }
}
