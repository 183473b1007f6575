import Synchronization
import WenwexConfig
import WenwexSQL

/// Point reads and point updates on a table from their own connection, recording the longest
/// time one of them spent inside PostgreSQL. The server measures it (`clock_timestamp()`
/// against the statement's own implicit transaction, which starts at its Parse message, before
/// any lock wait), so a stall of the test process never counts as a query queued behind a lock.
///
/// The table needs an integer `id` running from 1 to at least `rows` and an integer `n`.
final class SteadyLoad: Sendable {
    static let waited = "(extract(epoch FROM clock_timestamp() - transaction_timestamp()) * 1000000)::bigint::text"
    let table: String
    let rows: Int
    let longest = Mutex<Duration>(.zero)
    let queries = Mutex(0)
    let stop = Atomic(false)

    init(table: String, rows: Int) {
        self.table = table
        self.rows = rows
    }

    func run(_ url: DatabaseURL) async throws {
        let session = try await DatabaseConnector.open(url)
        let quoted = SQLDialect.postgres.quoteIdentifier(table)
        var index = 0
        while !stop.load(ordering: .relaxed) {
            index += 1
            let rows: [[String?]]
            if index % 2 == 0 {
                rows = try await session.queryText(
                    "SELECT \(Self.waited) FROM \(quoted) WHERE id = $1",
                    [.integer(index % self.rows + 1)]
                )
            } else {
                rows = try await session.queryText(
                    "UPDATE \(quoted) SET n = n + 1 WHERE id = $1 RETURNING \(Self.waited)",
                    [.integer(index % self.rows + 1)]
                )
            }
            let microseconds = rows.first?.first.flatMap { $0 }.flatMap { Int64($0) } ?? 0
            longest.withLock { $0 = max($0, .microseconds(microseconds)) }
            queries.withLock { $0 += 1 }
            try await Task.sleep(for: .milliseconds(5))
        }
        try await session.close()
    }

    /// The longest wait since the last call, starting afresh.
    func takeLongest() -> Duration {
        longest.withLock { value in
            defer { value = .zero }
            return value
        }
    }

    /// Waits for `count` more queries to finish (at most 15 s), so one that queued behind a
    /// lock and is still on its way back is counted.
    func settle(count: Int = 2) async throws {
        let finished = queries.withLock { $0 }
        let deadline = ContinuousClock.now + .seconds(15)
        while queries.withLock({ $0 }) < finished + count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
