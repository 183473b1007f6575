import Foundation
import Testing
import Logging
import WenwexConfig
import WenwexMigrate
import WenwexSQL
import WenwexStorage
import WenwexTestSupport

@testable import WenwexOps

/// A source database of either dialect with typed rows, a sequence, a stamp and a migration
/// history, and a backup repository in a temporary directory.
struct BackupFixture {
    static let owner = DatabaseOwner(project: "shop", environment: "prod", tier: .prod)
    static let key = Data((0..<32).map { UInt8($0 * 7 % 256) }).base64EncodedString()

    let dialect: SQLDialect
    let source: DatabaseURL
    let directory: URL
    let repository: BackupRepository

    static func make(_ dialect: SQLDialect, rows: Int = 300) async throws -> BackupFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let source: DatabaseURL =
            switch dialect {
            case .postgres: try DatabaseURL(try await SharedPostgres.freshDatabase(prefix: "backup"))
            case .sqlite: try DatabaseURL("file:" + directory.appendingPathComponent("shop.db").path)
            }
        try await DatabaseConnector.withSession(source) { session in
            for statement in schema(dialect) { try await session.execute(statement, []) }
            try await MigrationScriptRunner.run(data(dialect, rows: rows), on: session)
            try await IdentityStampStore(session: session, url: source).write(owner.newStamp())
            let history = MigrationHistory(session)
            try await history.prepare()
            for name in ["20260101000000_init", "20260301000000_posts"] {
                try await history.recordApplied(
                    MigrationFile(name: name, url: directory, sql: "", checksum: String(repeating: "a", count: 64))
                )
            }
        }
        let store = try FilesystemObjectStore(root: directory.appendingPathComponent("backups"))
        return BackupFixture(
            dialect: dialect,
            source: source,
            directory: directory,
            repository: BackupRepository(store: store, environment: owner.environment)
        )
    }

    func settings(key: String? = BackupFixture.key, requireEncryption: Bool = false) throws -> BackupSettings {
        var settings = BackupSettings(
            repository: repository,
            keys: try key.map { try BackupKeyRing(current: $0) },
            requireEncryption: requireEncryption,
            verifyServer: source
        )
        settings.logger.logLevel = .warning
        return settings
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    static func schema(_ dialect: SQLDialect) -> [String] {
        switch dialect {
        case .postgres:
            [
                #"CREATE TYPE "Status" AS ENUM ('draft', 'live')"#,
                #"""
                CREATE TABLE "User" (id SERIAL PRIMARY KEY, email TEXT UNIQUE NOT NULL, profile JSONB, settings JSON,
                  balance NUMERIC(12,2), created TIMESTAMPTZ NOT NULL DEFAULT now(), avatar BYTEA, tags TEXT[],
                  status "Status" NOT NULL DEFAULT 'draft', score DOUBLE PRECISION)
                """#,
                #"CREATE TABLE "Post" (id BIGSERIAL PRIMARY KEY, "authorId" INT NOT NULL REFERENCES "User"(id), title TEXT)"#,
                #"CREATE INDEX "Post_authorId_idx" ON "Post" ("authorId")"#,
            ]
        case .sqlite:
            [
                #"""
                CREATE TABLE "User" (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT UNIQUE NOT NULL, profile TEXT,
                  balance DECIMAL, created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, avatar BLOB, score REAL)
                """#,
                #"CREATE TABLE "Post" (id INTEGER PRIMARY KEY, "authorId" INTEGER NOT NULL REFERENCES "User"(id), title TEXT)"#,
                #"CREATE TABLE "Setting" (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID"#,
                #"CREATE INDEX "Post_authorId_idx" ON "Post" ("authorId")"#,
            ]
        }
    }

    static func data(_ dialect: SQLDialect, rows: Int) -> String {
        switch dialect {
        case .postgres:
            """
            INSERT INTO "User" (email, profile, settings, balance, avatar, tags, status, score)
            SELECT 'u' || g || '@example.test', jsonb_build_object('n', g), '{"a": 1}', g * 1.25,
              decode(md5(g::text), 'hex'), ARRAY['a', 'b' || g], (CASE WHEN g % 2 = 0 THEN 'live' ELSE 'draft' END)::"Status",
              g / 7.0
            FROM generate_series(1, \(rows)) g;
            INSERT INTO "Post" ("authorId", title) SELECT 1 + (g % \(rows)), 'post ' || g FROM generate_series(1, \(rows * 3)) g;
            """
        case .sqlite:
            """
            WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < \(rows))
            INSERT INTO "User" (email, profile, balance, avatar, score)
            SELECT 'u' || n || '@example.test', '{"n": ' || n || '}', n * 1.25, randomblob(8), n / 7.0 FROM g;
            WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < \(rows * 3))
            INSERT INTO "Post" ("authorId", title) SELECT 1 + (n % \(rows)), 'post ' || n FROM g;
            INSERT INTO "Setting" VALUES ('theme', 'dark'), ('lang', 'en');
            """
        }
    }

    /// Schema, every row, and the sequences' positions: what a restore must bring back.
    static func snapshot(_ url: DatabaseURL) async throws -> Snapshot {
        try await DatabaseConnector.withSession(url, access: .readOnly) { session in
            let schema = try await SchemaIntrospection.introspector(for: session.dialect).introspect(session)
            var rows: [String: [[String?]]] = [:]
            for table in ["User", "Post"] + (session.dialect == .sqlite ? ["Setting"] : []) {
                rows[table] = try await session.queryText(
                    "SELECT * FROM \(session.dialect.quoteIdentifier(table)) ORDER BY 1",
                    []
                )
            }
            let sequences =
                session.dialect == .postgres
                ? try await session.queryText(
                    "SELECT sequencename, last_value::text FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1",
                    []
                )
                : try await session.queryText("SELECT name, CAST(seq AS TEXT) FROM sqlite_sequence ORDER BY 1", [])
            return Snapshot(schema: schema, rows: rows, sequences: sequences)
        }
    }

    struct Snapshot: Equatable {
        var schema: SQLSchema
        var rows: [String: [[String?]]]
        var sequences: [[String?]]
    }

    /// Replaces the stored payload of `manifest` with `change(bytes)`.
    func tamper(_ manifest: BackupManifest, _ change: ([UInt8]) -> [UInt8]) async throws {
        let key = try repository.payloadKey(manifest.id)
        let bytes = try await repository.store.get(key).body.collect(upTo: 1 << 28)
        _ = try await repository.store.put(key, bytes: change(bytes))
    }
}
