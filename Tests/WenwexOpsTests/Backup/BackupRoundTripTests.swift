import Foundation
import Testing
import WenwexConfig
import WenwexSQL
import WenwexStorage
import WenwexTestSupport

@testable import WenwexOps

/// Backups of real databases: restore round trips, every kind of damage detected, and the
/// refusals that keep a restore from going wrong.
@Suite("Backups on PostgreSQL and SQLite", .enabled(if: PostgresAvailability.shouldRun))
struct BackupRoundTripTests {
    static let dialects: [SQLDialect] = [.sqlite, .postgres]

    @Test(arguments: dialects, [false, true])
    func aRestoreBringsBackTheSchemaRowsAndSequences(dialect: SQLDialect, encrypted: Bool) async throws {
        let fixture = try await BackupFixture.make(dialect)
        defer { fixture.remove() }
        let settings = try fixture.settings(key: encrypted ? BackupFixture.key : nil)
        let manifest = try await settings.creator.create(source: fixture.source, owner: BackupFixture.owner)

        #expect(manifest.environment == "prod" && manifest.tier == .prod && manifest.project == "shop")
        #expect(manifest.migrationHead == "20260301000000_posts")
        #expect(manifest.instanceID != nil)
        #expect((manifest.encryption != nil) == encrypted)
        #expect(manifest.tables.first { $0.name.hasSuffix("User") }?.rows == 300)
        #expect(manifest.tables.first { $0.name.hasSuffix("Post") }?.rows == 900)
        #expect(manifest.tables.contains { $0.name.hasPrefix("sequence ") })
        #expect(manifest.tools[dialect == .postgres ? "pg_dump" : "sqlite"] != nil)
        #expect(try await fixture.repository.manifests().map(\.id) == [manifest.id])

        let verification = try await settings.verifier.verify(manifest, server: fixture.source)
        #expect(verification.passed, "\(verification.details)")
        #expect(try await fixture.repository.manifest(manifest.id).isVerified, "the result is in the manifest")

        let outcome = try await BackupRestorer(settings: settings).restore(
            manifest,
            target: .newDatabase(nil),
            database: fixture.source,
            owner: BackupFixture.owner
        )
        #expect(outcome.restored != fixture.source)
        #expect(try await BackupFixture.snapshot(outcome.restored) == BackupFixture.snapshot(fixture.source))
        let stamps = try await [fixture.source, outcome.restored].asyncMap { url in
            try await DatabaseConnector.withSession(url) { try await IdentityStampStore(session: $0, url: url).read() }
        }
        #expect(stamps[0] != nil && stamps[0] == stamps[1], "the restored database keeps the source's stamp")
    }

    @Test(arguments: dialects)
    func aFlippedByteATruncationAndAWrongKeyAreEachDetected(dialect: SQLDialect) async throws {
        let fixture = try await BackupFixture.make(dialect, rows: 100)
        defer { fixture.remove() }
        for encrypted in [false, true] {
            let settings = try fixture.settings(key: encrypted ? BackupFixture.key : nil)
            let verifier = settings.verifier
            let flipped = try await settings.creator.create(source: fixture.source, owner: BackupFixture.owner)
            try await fixture.tamper(flipped) { bytes in
                var bytes = bytes
                bytes[bytes.count / 2] ^= 0x20
                return bytes
            }
            let afterFlip = try await verifier.verify(flipped, server: fixture.source)
            #expect(!afterFlip.passed, "encrypted: \(encrypted)")
            #expect(
                afterFlip.details.contains { $0.contains(encrypted ? "does not authenticate" : "SHA-256") },
                "\(afterFlip.details)"
            )
            #expect(try await fixture.repository.manifest(flipped.id).verification?.passed == false)

            let truncated = try await settings.creator.create(source: fixture.source, owner: BackupFixture.owner)
            try await fixture.tamper(truncated) { Array($0.prefix($0.count * 2 / 3)) }
            #expect(!(try await verifier.verify(truncated, server: fixture.source).passed))

            if encrypted {
                let good = try await settings.creator.create(source: fixture.source, owner: BackupFixture.owner)
                let wrongKey = BackupVerifier(
                    repository: fixture.repository,
                    keys: try BackupKeyRing(current: Data(repeating: 3, count: 32).base64EncodedString())
                )
                let result = try await wrongKey.verify(good, server: fixture.source)
                #expect(!result.passed)
                #expect(result.details.contains { $0.contains("encrypted with key \(good.encryption!.keyID)") })
                #expect(try await verifier.verify(good, server: fixture.source).passed, "the right key still opens it")
            }
        }
    }

    @Test(arguments: dialects)
    func verifyCatchesAPayloadThatIsNotItsManifests(dialect: SQLDialect) async throws {
        let fixture = try await BackupFixture.make(dialect, rows: 50)
        defer { fixture.remove() }
        let settings = try fixture.settings(key: nil)
        let first = try await settings.creator.create(source: fixture.source, owner: BackupFixture.owner)
        try await DatabaseConnector.withSession(fixture.source) { session in
            try await session.execute(#"INSERT INTO "Post" ("authorId", title) VALUES (1, 'one more')"#, [])
        }
        let second = try await settings.creator.create(source: fixture.source, owner: BackupFixture.owner)
        // The second backup's (valid) payload stored under the first's manifest.
        let payload = try await fixture.repository.payload(of: second).collect(upTo: 1 << 28)
        _ = try await fixture.repository.store.put(try fixture.repository.payloadKey(first.id), bytes: payload)
        #expect(!(try await settings.verifier.verify(first, server: fixture.source).passed))

        // A manifest whose row count was changed no longer matches its (intact) payload.
        var edited = second
        edited.tables[edited.tables.firstIndex { $0.name.hasSuffix("Post") }!].rows += 1
        try await fixture.repository.write(edited)
        let result = try await settings.verifier.verify(edited, server: fixture.source)
        #expect(!result.passed)
        #expect(result.details.contains { $0.contains("Post") && $0.contains("rows") }, "\(result.details)")
    }

    @Test func encryptionRequiredWithoutAKeyWritesNothing() async throws {
        let fixture = try await BackupFixture.make(.sqlite, rows: 10)
        defer { fixture.remove() }
        let settings = try fixture.settings(key: nil, requireEncryption: true)
        await #expect(throws: BackupError.self) {
            _ = try await settings.creator.create(source: fixture.source, owner: BackupFixture.owner)
        }
        #expect(try await fixture.repository.store.listAll(prefix: "").filter { !$0.key.rawValue.hasPrefix(".") }.isEmpty)
        // With a key, the stored bytes are sealed from the first byte on.
        let sealed = try await fixture.settings(requireEncryption: true).creator.create(
            source: fixture.source,
            owner: BackupFixture.owner
        )
        let stored = try await fixture.repository.payload(of: sealed).collect(upTo: 1 << 28)
        #expect(SealedPayload.looksSealed(stored))
        #expect(!stored.contains(subsequence: Array("u1@example.test".utf8)))
    }

    @Test(arguments: dialects)
    func replacingADatabaseNeedsForceNamesAndConfirmationAndTakesASafetyBackup(dialect: SQLDialect) async throws {
        let fixture = try await BackupFixture.make(dialect, rows: 40)
        defer { fixture.remove() }
        let settings = try fixture.settings()
        let restorer = BackupRestorer(settings: settings)
        let manifest = try await settings.creator.create(source: fixture.source, owner: BackupFixture.owner)
        let name = BackupRestorer.databaseName(fixture.source)
        // Rows written after the backup, which the restore takes back (and the safety backup keeps).
        try await DatabaseConnector.withSession(fixture.source) { session in
            try await session.execute(#"DELETE FROM "Post" WHERE id > 10"#, [])
        }

        // Without --force a restore never goes over an existing database.
        let existing = dialect == .postgres ? name : URL(fileURLWithPath: fixture.source.sqlitePath!).path
        await #expect(throws: BackupError.self) {
            _ = try await restorer.restore(
                manifest,
                target: .newDatabase(existing),
                database: fixture.source,
                owner: BackupFixture.owner
            )
        }
        for (environment, database) in [("staging", name), ("prod", "other"), ("", "")] {
            await #expect(throws: BackupError.self, "\(environment) \(database)") {
                _ = try await restorer.restore(
                    manifest,
                    target: .replace(.init(environment: environment, database: database) { _ in true }),
                    database: fixture.source,
                    owner: BackupFixture.owner
                )
            }
        }
        // On prod the typed name is required too.
        await #expect(throws: BackupError.self) {
            _ = try await restorer.restore(
                manifest,
                target: .replace(.init(environment: "prod", database: name) { _ in false }),
                database: fixture.source,
                owner: BackupFixture.owner
            )
        }
        #expect(try await fixture.repository.manifests().count == 1, "nothing was done, not even a safety backup")

        let outcome = try await restorer.restore(
            manifest,
            target: .replace(.init(environment: "prod", database: name) { $0 == name }),
            database: fixture.source,
            owner: BackupFixture.owner
        )
        let safety = try #require(outcome.safetyBackup)
        #expect(safety.reason == "pre-restore")
        #expect(safety.tables.first { $0.name.hasSuffix("Post") }?.rows == 10, "the safety backup holds the replaced rows")
        #expect(outcome.previousKeptAs != nil)
        let posts = try await DatabaseConnector.withSession(fixture.source) { session in
            try await session.queryText(#"SELECT count(*) FROM "Post""#, []).first?.first ?? nil
        }
        #expect(posts == "120", "the backup's rows are back in the environment's database")
    }

    @Test func aBackupIsNeverRestoredIntoAnotherEnvironmentNorTakenFromOne() async throws {
        let fixture = try await BackupFixture.make(.sqlite, rows: 10)
        defer { fixture.remove() }
        let settings = try fixture.settings()
        let manifest = try await settings.creator.create(source: fixture.source, owner: BackupFixture.owner)
        let staging = DatabaseOwner(project: "shop", environment: "staging", tier: .staging)
        do {
            _ = try await BackupRestorer(settings: settings).restore(
                manifest,
                target: .newDatabase(nil),
                database: fixture.source,
                owner: staging
            )
            Issue.record("a prod backup was restored by staging")
        } catch BackupError.refused(let message, let fix) {
            #expect(message.contains("never restored into another environment"))
            #expect(fix.contains("sanitized clone"))
        }
        // A prod-stamped database is not backed up as staging's either.
        await #expect(throws: BackupError.self) {
            _ = try await settings.creator.create(source: fixture.source, owner: staging)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

extension DatabaseURL {
    var sqlitePath: String? {
        if case .sqlite(let path) = kind { path } else { nil }
    }
}
