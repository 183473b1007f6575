import Foundation
public import WenwexSQL

/// The history table, with the same name and columns as Prisma Migrate's `_prisma_migrations`.
///
/// Sharing Prisma's table is what lets Wenwex adopt a database Prisma manages as it is: the
/// rows Prisma wrote are read as applied migrations, and the rows Wenwex writes are rows Prisma
/// would understand. Timestamps are the database's own clock.
public struct MigrationHistory: Sendable {
    public static let tableName = "_prisma_migrations"

    public let session: any SQLSession

    public init(_ session: any SQLSession) {
        self.session = session
    }

    /// Creates the table when it does not exist yet (Prisma's definition for each dialect).
    public func prepare() async throws {
        switch session.dialect {
        case .postgres:
            try await session.execute(
                """
                CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
                    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
                    "checksum"              VARCHAR(64) NOT NULL,
                    "finished_at"           TIMESTAMPTZ,
                    "migration_name"        VARCHAR(255) NOT NULL,
                    "logs"                  TEXT,
                    "rolled_back_at"        TIMESTAMPTZ,
                    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
                    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
                )
                """
            )
        case .sqlite:
            try await session.execute(
                """
                CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
                    "id"                    TEXT PRIMARY KEY NOT NULL,
                    "checksum"              TEXT NOT NULL,
                    "finished_at"           DATETIME,
                    "migration_name"        TEXT NOT NULL,
                    "logs"                  TEXT,
                    "rolled_back_at"        DATETIME,
                    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
                    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
                )
                """
            )
        }
    }

    /// Whether the table exists (a database no migration ever touched has none).
    public func exists() async throws -> Bool {
        try await session.tableExists(Self.tableName)
    }

    /// Every row, oldest first; none when the table does not exist.
    public func records() async throws -> [MigrationRecord] {
        guard try await exists() else { return [] }
        let rows = try await session.query(
            """
            SELECT "id", "migration_name", "checksum", CAST("started_at" AS TEXT), CAST("finished_at" AS TEXT),
                CAST("rolled_back_at" AS TEXT), "logs", "applied_steps_count"
            FROM "_prisma_migrations" ORDER BY "started_at", "migration_name"
            """
        )
        return rows.map { row in
            MigrationRecord(
                id: row[0].text ?? "",
                name: row[1].text ?? "",
                checksum: row[2].text ?? "",
                startedAt: row[3].text,
                finishedAt: row[4].text,
                rolledBackAt: row[5].text,
                logs: row[6].text,
                appliedStepsCount: Int(row[7].text ?? "") ?? 0
            )
        }
    }

    /// Records that `migration` started; returns the row's id.
    public func recordStart(of migration: MigrationFile) async throws -> String {
        let id = UUID().uuidString.lowercased()
        try await session.execute(
            #"INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "applied_steps_count") VALUES ($1, $2, $3, 0)"#,
            [.text(id), .text(migration.checksum), .text(migration.name)]
        )
        return id
    }

    public func recordFinish(id: String, steps: Int) async throws {
        try await session.execute(
            #"UPDATE "_prisma_migrations" SET "finished_at" = CURRENT_TIMESTAMP, "applied_steps_count" = $2 WHERE "id" = $1"#,
            [.text(id), .integer(steps)]
        )
    }

    public func recordFailure(id: String, logs: String) async throws {
        try await session.execute(
            #"UPDATE "_prisma_migrations" SET "logs" = $2 WHERE "id" = $1"#,
            [.text(id), .text(logs)]
        )
    }

    /// Marks every unfinished attempt of `name` rolled back, noting why.
    public func markRolledBack(name: String, note: String? = nil) async throws {
        try await session.execute(
            """
            UPDATE "_prisma_migrations" SET "rolled_back_at" = CURRENT_TIMESTAMP,
                "logs" = COALESCE("logs", $2)
            WHERE "migration_name" = $1 AND "finished_at" IS NULL AND "rolled_back_at" IS NULL
            """,
            [.text(name), note.map(SQLValue.text) ?? .null]
        )
    }

    /// Records `migration` as applied in one statement: inside the migration's own transaction
    /// (so the row commits with it), or without running it (`migrate resolve --applied`,
    /// absorbing drift) with `steps` 0.
    public func recordApplied(_ migration: MigrationFile, steps: Int = 0) async throws {
        try await session.execute(
            """
            INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "finished_at", "applied_steps_count")
            VALUES ($1, $2, $3, CURRENT_TIMESTAMP, $4)
            """,
            [.text(UUID().uuidString.lowercased()), .text(migration.checksum), .text(migration.name), .integer(steps)]
        )
    }

    /// Records a failed attempt in one statement, after its transaction rolled back.
    public func recordFailure(of migration: MigrationFile, logs: String) async throws {
        try await session.execute(
            #"INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "logs") VALUES ($1, $2, $3, $4)"#,
            [.text(UUID().uuidString.lowercased()), .text(migration.checksum), .text(migration.name), .text(logs)]
        )
    }
}
