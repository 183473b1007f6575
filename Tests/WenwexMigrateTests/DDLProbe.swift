import Synchronization
import WenwexConfig
import WenwexSQL

/// Writes to a table from its own connection at the moments another backend is running DDL,
/// and records the longest of those writes' waits inside PostgreSQL.
///
/// A steady load from the test process can miss a migration's statement altogether when a busy
/// test run stalls the process for a second; the probe watches the deploying backend in
/// `pg_stat_activity` and writes only while a DDL statement is active there, so a measurement
/// either saw the statement (``probes`` > 0) or says it did not, and can be taken again.
final class DDLProbe: Sendable {
    let longest = Mutex<Duration>(.zero)
    let probes = Mutex(0)
    let stop = Atomic(false)

    /// Until ``stop``: probe `table` (an integer `id` 1 and an integer `n`) while backend `pid`
    /// runs DDL.
    func run(_ url: DatabaseURL, watching pid: Int, table: String) async throws {
        let session = try await DatabaseConnector.open(url)
        let quoted = SQLDialect.postgres.quoteIdentifier(table)
        while !stop.load(ordering: .relaxed) {
            let activity = try await session.queryText(
                "SELECT state, query FROM pg_stat_activity WHERE pid = $1",
                [.integer(pid)]
            )
            guard let row = activity.first, row.count == 2, row[0] == "active", let query = row[1],
                Self.isDDL(query)
            else {
                try await Task.sleep(for: .milliseconds(5))
                continue
            }
            let waited = try await session.queryText(
                "UPDATE \(quoted) SET n = n + 1 WHERE id = 1 RETURNING \(SteadyLoad.waited)",
                []
            )
            let microseconds = waited.first?.first.flatMap { $0 }.flatMap { Int64($0) } ?? 0
            longest.withLock { $0 = max($0, .microseconds(microseconds)) }
            probes.withLock { $0 += 1 }
        }
        try await session.close()
    }

    /// The statement's first word after its comment lines is `CREATE`, `ALTER` or `DROP`.
    static func isDDL(_ query: String) -> Bool {
        let code = query.split(separator: "\n").first { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            return !text.isEmpty && !text.hasPrefix("--")
        }
        let word = code?.trimmingCharacters(in: .whitespaces).split(separator: " ").first?.uppercased()
        return ["CREATE", "ALTER", "DROP"].contains(word ?? "")
    }
}
