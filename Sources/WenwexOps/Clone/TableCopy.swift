import Foundation
import NIOCore
import PostgresNIO
import WenwexSQL

/// One table's rows, from the source's snapshot into the target's `COPY`.
///
/// A large table is read in parts, one per snapshot reader (``SnapshotReaders``), by ranges of
/// its pages: each part is rewritten by its own task on its own core, and their `COPY` data
/// meets in the target's one `COPY` (a ``CopyTurnstile`` lets one write through at a time). Rewriting is most of a clone's work, and the target's
/// `COPY` is one connection, so this is where cores help.
struct TableCopy {
    let table: ClonePlan.Table
    /// `--subset`: only these rows (by `ctid`, in the same snapshot).
    let chosen: Set<String>?
    let format: CopyIntoStatement.Format
    let readers: SnapshotReaders
    /// Tables smaller than this many pages are read in one part.
    let splitFromPages: Int
    let target: PostgresConnection
    let anonymizer: Anonymizer
    let logger: Logger

    /// What copying one table did.
    struct Outcome {
        var rows: Int
        /// Copied in parts first, then again in key order because fake values collided.
        var copiedAgainInOrder = false
    }

    /// Copies the table.
    ///
    /// A table with a unique column that gets fake values is read in key order by one reader,
    /// since a collision goes to the row that comes first: the rows are the same, clone after
    /// clone. Collisions are rare, though, so a large such table is first copied in parts,
    /// inside a savepoint, and checked: without a collision every value is the one the ordered
    /// copy would write. Only when two fake values meet is it copied again in order.
    func run() async throws -> Outcome {
        var outcome = Outcome(rows: 0)
        if chosen == nil, readers.count > 1 {
            let parts = try await pageRanges()
            if parts.count > 1, !table.needsOrderedRead {
                return Outcome(rows: try await copy(filters: parts, ordered: false, freeze: !table.isPartitioned))
            }
            if parts.count > 1 {
                try await execute("SAVEPOINT wenwex_clone_in_parts")
                // FREEZE needs the truncation in the same subtransaction; the savepoint is a new one.
                let rows = try await copy(filters: parts, ordered: false, freeze: false)
                if try await !fakeValuesCollide() {
                    try await execute("RELEASE SAVEPOINT wenwex_clone_in_parts")
                    return Outcome(rows: rows)
                }
                outcome.copiedAgainInOrder = true
                logger.info("fake values collided; copying again in key order", metadata: ["table": "\(table.name)"])
                try await execute("ROLLBACK TO SAVEPOINT wenwex_clone_in_parts")
                try await execute("RELEASE SAVEPOINT wenwex_clone_in_parts")
            }
        }
        outcome.rows = try await copy(filters: [""], ordered: table.needsOrderedRead, freeze: !table.isPartitioned)
        return outcome
    }

    /// Copies the rows each of `filters` selects, at once, one reader each.
    private func copy(filters: [String], ordered: Bool, freeze: Bool) async throws -> Int {
        let quote = SQLDialect.postgres.quoteIdentifier
        let selectList = table.columns.map { column -> String in
            if case .sql(let expression) = column.rule { return "(\(expression))::text" }
            return format == .binary ? quote(column.name) : quote(column.name) + "::text"
        }.joined(separator: ", ")
        let order = ordered ? " ORDER BY " + table.orderBy.map(quote).joined(separator: ", ") : ""
        var binds = PostgresBindings()
        var filters = filters
        if let chosen {
            if chosen.isEmpty { return 0 }
            try binds.append("{" + chosen.map { "\"\($0)\"" }.joined(separator: ",") + "}")
            filters = [" WHERE ctid = ANY($1::tid[])"]
        }
        let queries = filters.map {
            PostgresQuery(unsafeSQL: "SELECT \(selectList) FROM \(table.qualified)\($0)\(order)", binds: binds)
        }
        let statement = CopyIntoStatement.tableArgument(
            schema: table.schema,
            table: table.name,
            columns: table.columns.map(\.name),
            format: format,
            freeze: freeze
        )
        var count = 0
        try await target.copyFrom(table: statement, columns: [], logger: logger) { writer in
            let turnstile = CopyTurnstile(writer: writer)
            var edge = ByteBuffer()
            CloneRowWriter.begin(format, into: &edge)
            if edge.readableBytes > 0 { try await turnstile.write(edge) }
            count = try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, query) in queries.enumerated() {
                    let reader = readers.connection(index)
                    group.addTask { try await stream(query, from: reader, into: turnstile, tracksCollisions: ordered) }
                }
                return try await group.reduce(0, +)
            }
            edge.clear()
            CloneRowWriter.end(format, into: &edge)
            if edge.readableBytes > 0 { try await turnstile.write(edge) }
        }
        return count
    }

    /// Whether two rows got the same fake value in a unique column (NULLs never collide).
    private func fakeValuesCollide() async throws -> Bool {
        let quote = SQLDialect.postgres.quoteIdentifier
        let checks = table.columns.filter { $0.isUnique && $0.rule.isGenerated }.map { column in
            let name = quote(column.name)
            return
                "EXISTS (SELECT 1 FROM \(table.qualified) WHERE \(name) IS NOT NULL GROUP BY \(name) HAVING count(*) > 1)"
        }
        guard !checks.isEmpty else { return false }
        let rows = try await target.query(
            PostgresQuery(unsafeSQL: "SELECT " + checks.joined(separator: " OR ")),
            logger: logger
        )
        return try await rows.collect().first?.decode(Bool.self) ?? true
    }

    private func execute(_ sql: String) async throws {
        _ = try await target.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    /// One part: its rows rewritten into 256 KiB pieces of `COPY` data.
    private func stream(
        _ query: PostgresQuery,
        from source: PostgresConnection,
        into turnstile: CopyTurnstile,
        tracksCollisions: Bool
    ) async throws -> Int {
        let rows = try await source.query(query, logger: logger)
        var rewriter = CloneRowWriter(
            columns: table.columns,
            anonymizer: anonymizer,
            format: format,
            tracksCollisions: tracksCollisions
        )
        var buffer = ByteBuffer()
        buffer.reserveCapacity(300 << 10)
        var written = 0
        for try await row in rows {
            rewriter.write(row, into: &buffer)
            written += 1
            if buffer.readableBytes >= 256 << 10 {
                try await turnstile.write(buffer)
                buffer.clear()
            }
        }
        if buffer.readableBytes > 0 { try await turnstile.write(buffer) }
        return written
    }

    /// `WHERE` clauses splitting the table into one range of pages per reader (PostgreSQL 14+
    /// reads each range with a TID range scan); one part when the table is small. The ranges
    /// cover every page there can be, whatever the size read here.
    private func pageRanges() async throws -> [String] {
        var binds = PostgresBindings()
        binds.append(table.qualified)
        let size = PostgresQuery(
            unsafeSQL: "SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::bigint)::int8",
            binds: binds
        )
        let pages = try await readers.primary.query(size, logger: logger).collect().first?.decode(Int64.self) ?? 0
        let parts = readers.count
        guard pages >= splitFromPages, pages >= parts else { return [""] }
        let bounds = (1..<parts).map { Int(pages) * $0 / parts }
        return (0..<parts).map { part in
            var conditions: [String] = []
            if part > 0 { conditions.append("ctid >= '(\(bounds[part - 1]),0)'::tid") }
            if part < parts - 1 { conditions.append("ctid < '(\(bounds[part]),0)'::tid") }
            return " WHERE " + conditions.joined(separator: " AND ")
        }
    }
}

/// Lets one write at a time through to a `COPY`'s writer, in arrival order. Each writer waits
/// for its write to be taken, so no part runs ahead of the target by more than one piece.
actor CopyTurnstile {
    private let writer: PostgresCopyFromWriter
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(writer: PostgresCopyFromWriter) { self.writer = writer }

    func write(_ buffer: ByteBuffer) async throws {
        if busy { await withCheckedContinuation { waiting.append($0) } }
        busy = true
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        try await writer.write(buffer)
    }
}
