public import WenwexSQL

/// Runs a ``Backfill`` batch by batch: the next `batchSize` primary keys after the last batch
/// that committed, one `UPDATE` over that key range in a transaction of its own that also
/// advances ``BackfillProgress``, then a pause as long as the batch took (times
/// ``pauseRatio``), so the load beside it keeps its share of the database and a kill loses at
/// most the batch in flight.
public struct BackfillRunner: Sendable {
    /// Rows per batch: short enough that a batch's row locks are held for milliseconds.
    public var batchSize: Int = 1000
    /// The pause after each batch as a multiple of its own time; 1 leaves the database to the
    /// traffic at least half the time.
    public var pauseRatio: Double = 1
    /// Told after each batch and when a backfill starts, resumes or finishes.
    public var onProgress: @Sendable (Progress) -> Void = { _ in }

    /// Where a backfill is, for a caller to show.
    public struct Progress: Sendable, Hashable {
        public var migration: String
        public var table: TableName
        public var rowsDone: Int
        /// Picked up where an earlier deploy stopped.
        public var resumed: Bool
        public var finished: Bool
    }

    public init() {}

    /// Runs `backfill` of `migration` to its end, from where its progress row says.
    public func run(_ backfill: Backfill, of migration: String, on session: any SQLSession) async throws {
        let progress = BackfillProgress(session)
        guard let entry = try await progress.entry(migration: migration, position: backfill.position),
            !entry.isFinished
        else { return }
        let schema = try await SchemaIntrospection.introspector(for: session.dialect).introspect(session)
        guard let table = schema.table(backfill.table.name, schema: backfill.table.schema),
            let keyName = table.primaryKey?.columns.first, table.primaryKey?.columns.count == 1,
            let keyColumn = table.column(keyName)
        else {
            throw BackfillError.noSingleColumnKey(migration: migration, table: backfill.table)
        }
        let qualified = SQLText.qualified(backfill.table)
        let key = SQLText.quote(keyName)
        let type = keyColumn.type.text
        var lastKey = entry.lastKey
        var rowsDone = entry.rowsDone
        let resumed = lastKey != nil
        onProgress(
            Progress(migration: migration, table: backfill.table, rowsDone: rowsDone, resumed: resumed, finished: false)
        )
        while true {
            let after = lastKey.map { _ in " WHERE \(key) > CAST($1 AS \(type))" } ?? ""
            let upper = try await session.queryText(
                // The output is named apart from the key: ORDER BY a name of the select list
                // would sort the text.
                "SELECT CAST(batch.k AS TEXT) AS high FROM (SELECT \(key) AS k FROM \(qualified)\(after) "
                    + "ORDER BY \(key) LIMIT \(batchSize)) AS batch ORDER BY batch.k DESC LIMIT 1",
                lastKey.map { [.text($0)] } ?? []
            )
            guard let high = upper.first?.first ?? nil else { break }
            let started = ContinuousClock.now
            var range = "\(key) <= CAST($1 AS \(type))"
            var binds: [SQLValue] = [.text(high)]
            if let lastKey {
                range += " AND \(key) > CAST($2 AS \(type))"
                binds.append(.text(lastKey))
            }
            let condition = backfill.condition.map { " AND (\($0))" } ?? ""
            let changed: Int
            do {
                changed = try await session.inTransaction {
                    let rows = try await session.queryText(
                        "UPDATE \(qualified) SET \(backfill.assignments) WHERE \(range)\(condition) RETURNING 1",
                        binds
                    ).count
                    try await progress.advance(migration: migration, position: backfill.position, to: high, rows: rows)
                    return rows
                }
            } catch {
                throw BackfillError.batchFailed(
                    migration: migration,
                    table: backfill.table,
                    reason: DatabaseErrorText.describe(error)
                )
            }
            lastKey = high
            rowsDone += changed
            onProgress(
                Progress(
                    migration: migration,
                    table: backfill.table,
                    rowsDone: rowsDone,
                    resumed: resumed,
                    finished: false
                )
            )
            let took = ContinuousClock.now - started
            if pauseRatio > 0 { try await Task.sleep(for: took * pauseRatio) }
        }
        try await progress.finish(migration: migration, position: backfill.position)
        onProgress(
            Progress(migration: migration, table: backfill.table, rowsDone: rowsDone, resumed: resumed, finished: true)
        )
    }
}
