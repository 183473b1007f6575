public import WenwexSQL

/// Where each backfill stands, in `_wenwex_backfills`: one row per backfill line, written in the
/// transaction that applies its migration and updated in the transaction of each batch, so a
/// kill at any point leaves the row saying exactly which rows are done.
public struct BackfillProgress: Sendable {
    public static let tableName = "_wenwex_backfills"

    /// One backfill's row.
    public struct Entry: Sendable, Hashable {
        public var migration: String
        public var position: Int
        /// The last primary key a committed batch reached, as text; `nil` before the first.
        public var lastKey: String?
        public var rowsDone: Int
        public var isFinished: Bool
    }

    public let session: any SQLSession

    public init(_ session: any SQLSession) {
        self.session = session
    }

    public func prepare() async throws {
        let timestamp = session.dialect == .postgres ? "TIMESTAMPTZ" : "TEXT"
        try await session.execute(
            """
            CREATE TABLE IF NOT EXISTS "_wenwex_backfills" (
                "migration" TEXT NOT NULL,
                "position" INTEGER NOT NULL,
                "table_name" TEXT NOT NULL,
                "last_key" TEXT,
                "rows_done" BIGINT NOT NULL DEFAULT 0,
                "finished_at" \(unsafeRaw: timestamp),
                PRIMARY KEY ("migration", "position")
            )
            """
        )
    }

    /// Records the file's backfills as to do; runs inside the migration's own transaction.
    func register(_ backfills: [Backfill], of migration: String) async throws {
        for backfill in backfills {
            try await session.execute(
                #"INSERT INTO "_wenwex_backfills" ("migration", "position", "table_name") VALUES ($1, $2, $3)"#,
                [.text(migration), .integer(backfill.position), .text(backfill.table.description)]
            )
        }
    }

    /// Every backfill not finished yet, in migration order; none before the table exists.
    public func unfinished() async throws -> [Entry] {
        guard try await session.tableExists(Self.tableName) else { return [] }
        return try await entries(where: #""finished_at" IS NULL"#)
    }

    public func entry(migration: String, position: Int) async throws -> Entry? {
        try await entries(where: #""migration" = $1 AND "position" = $2"#, [.text(migration), .integer(position)]).first
    }

    func advance(migration: String, position: Int, to key: String, rows: Int) async throws {
        try await session.execute(
            #"UPDATE "_wenwex_backfills" SET "last_key" = $3, "rows_done" = "rows_done" + $4 WHERE "migration" = $1 AND "position" = $2"#,
            [.text(migration), .integer(position), .text(key), .integer(rows)]
        )
    }

    func finish(migration: String, position: Int) async throws {
        try await session.execute(
            #"UPDATE "_wenwex_backfills" SET "finished_at" = CURRENT_TIMESTAMP WHERE "migration" = $1 AND "position" = $2"#,
            [.text(migration), .integer(position)]
        )
    }

    private func entries(where condition: String, _ binds: [SQLValue] = []) async throws -> [Entry] {
        let rows = try await session.queryText(
            """
            SELECT "migration", CAST("position" AS TEXT), "last_key", CAST("rows_done" AS TEXT),
                CASE WHEN "finished_at" IS NULL THEN 'no' ELSE 'yes' END
            FROM "_wenwex_backfills" WHERE \(condition) ORDER BY "migration", "position"
            """,
            binds
        )
        return rows.compactMap { row in
            guard row.count == 5, let migration = row[0], let position = row[1].flatMap({ Int($0) }) else { return nil }
            return Entry(
                migration: migration,
                position: position,
                lastKey: row[2],
                rowsDone: row[3].flatMap { Int($0) } ?? 0,
                isFinished: row[4] == "yes"
            )
        }
    }
}
