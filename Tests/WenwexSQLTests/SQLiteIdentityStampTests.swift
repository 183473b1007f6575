import Foundation
import Testing
import WenwexConfig
import WenwexSQL

@Suite("Identity stamp on SQLite")
struct SQLiteIdentityStampTests {
    private func databaseURL() throws -> (DatabaseURL, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wenwex-sqlite-\(UUID().uuidString)"
        )
        return (try DatabaseURL("file:nested/app.db", relativeTo: directory), directory)
    }

    @Test func devDatabaseIsGuarded() async throws {
        let (url, directory) = try databaseURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The read-only check must not create the file; stamping creates it and its folder.
        let before = await DatabaseIdentityCheck.check(
            .init(primary: IdentityStampScenarios.endpoint(url), replicas: []),
            owner: IdentityStampScenarios.dev
        )
        #expect(before.first?.reachable == false)
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        await #expect(throws: DatabaseUnavailable.self) { try await IdentityStampScenarios.readStamp(url) }
        _ = try await DatabaseConnector.withSession(url) { _ in }
        try await IdentityStampScenarios.devDatabaseIsGuarded(url)
    }

    @Test func prodClaimsOnlyWithConfirmation() async throws {
        let (url, directory) = try databaseURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await IdentityStampScenarios.prodClaimsOnlyWithConfirmation(url)
    }

    @Test func damagedStampIsReportedNotTrusted() async throws {
        let (url, directory) = try databaseURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await DatabaseConnector.withSession(url) { session in
            try await IdentityStampStore(session: session, url: url).write(IdentityStampScenarios.dev.newStamp())
            try await session.execute("PRAGMA ignore_check_constraints = ON")
            try await session.execute("UPDATE _wenwex_identity SET tier = 'production'")
        }
        await #expect(throws: IdentityStampCorrupt.self) { try await IdentityStampScenarios.readStamp(url) }
    }
}
