import Foundation
import NIOCore
import PostgresNIO
import WenwexSQL

/// One table's rows, from the source's snapshot into the target's `COPY`.
///
/// A large table whose rows can be rewritten in any order is read in parts, one per snapshot
/// reader (``SnapshotReaders``), by ranges of its pages: each part is rewritten by its own task
/// on its own core, and their `COPY` data meets in the target's one `COPY` (a ``CopyTurnstile``
/// lets one write through at a time). Rewriting is most of a clone's work, and the target's
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

    /// Copies the table; returns the rows copied.
    func run() async throws -> Int {
        let quote = SQLDialect.postgres.quoteIdentifier
        let selectList = table.columns.map { column -> String in
            if case .sql(let expression) = column.rule { return "(\(expression))::text" }
            return format == .binary ? quote(column.name) : quote(column.name) + "::text"
        }.joined(separator: ", ")
        // Row order matters only where a unique column's collisions are settled in it; elsewhere
        // each target row depends on its source row alone, and a sequential scan is faster.
        let needsOrder = table.needsOrderedRead
        let order = needsOrder ? " ORDER BY " + table.orderBy.map(quote).joined(separator: ", ") : ""
        var binds = PostgresBindings()
        var filters = [""]
        if let chosen {
            if chosen.isEmpty { return 0 }
            try binds.append("{" + chosen.map { "\"\($0)\"" }.joined(separator: ",") + "}")
            filters = [" WHERE ctid = ANY($1::tid[])"]
        } else if !needsOrder, readers.count > 1 {
            filters = try await pageRanges()
        }
        let queries = filters.map {
            PostgresQuery(unsafeSQL: "SELECT \(selectList) FROM \(table.qualified)\($0)\(order)", binds: binds)
        }
        let statement = CopyIntoStatement.tableArgument(
            schema: table.schema,
            table: table.name,
            columns: table.columns.map(\.name),
            format: format,
            freeze: !table.isPartitioned
        )
        var count = 0
        try await target.copyFrom(table: statement, columns: [], logger: logger) { writer in
            let turnstile = CopyTurnstile(writer: writer)
            var edge = ByteBuffer()
            CloneRowWriter(columns: table.columns, anonymizer: anonymizer, format: format).begin(into: &edge)
            if edge.readableBytes > 0 { try await turnstile.write(edge) }
            count = try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, query) in queries.enumerated() {
                    let reader = readers.connection(index)
                    group.addTask { try await stream(query, from: reader, into: turnstile) }
                }
                return try await group.reduce(0, +)
            }
            edge.clear()
            CloneRowWriter(columns: table.columns, anonymizer: anonymizer, format: format).end(into: &edge)
            if edge.readableBytes > 0 { try await turnstile.write(edge) }
        }
        return count
    }

    /// One part: its rows rewritten into 256 KiB pieces of `COPY` data.
    private func stream(_ query: PostgresQuery, from source: PostgresConnection, into turnstile: CopyTurnstile)
        async throws -> Int
    {
        let rows = try await source.query(query, logger: logger)
        var rewriter = CloneRowWriter(columns: table.columns, anonymizer: anonymizer, format: format)
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
        let pages =
            try await readers.primary.query(
                PostgresQuery(
                    unsafeSQL:
                        "SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::bigint)::int8",
                    binds: { var binds = PostgresBindings(); binds.append(table.qualified); return binds }()
                ),
                logger: logger
            ).collect().first?.decode(Int64.self) ?? 0
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
