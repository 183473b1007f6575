import Logging
import PostgresNIO
import WenwexConfig
import WenwexSQL

/// The source connections a clone reads with, all seeing one snapshot.
///
/// The first is the session that planned the clone, inside its `REPEATABLE READ, READ ONLY`
/// transaction; the others join that transaction's snapshot with `pg_export_snapshot()` and
/// `SET TRANSACTION SNAPSHOT`, so rows read on any of them come from the same moment, as if one
/// connection had read them all. ``TableCopy`` reads a large table's parts on them at once.
struct SnapshotReaders: Sendable {
    let primary: PostgresConnection
    /// The readers opened to join the primary's snapshot; closed by ``close()``.
    private let others: [PostgresSession]

    var count: Int { 1 + others.count }

    /// Reader `index`; beyond ``count`` it wraps around.
    func connection(_ index: Int) -> PostgresConnection {
        let reader = index % count
        return reader == 0 ? primary : others[reader - 1].connection
    }

    /// Opens `extra` readers on `url` and joins them to `primary`'s snapshot. `primary` must be
    /// inside its `REPEATABLE READ` transaction already; `settings` run on each reader after.
    static func open(
        primary: any SQLSession,
        extra: Int,
        url: DatabaseURL,
        settings: [SQLQuery],
        logger: Logger
    ) async throws -> SnapshotReaders {
        guard let primaryConnection = (primary as? PostgresSession)?.connection else {
            throw CloneError.failed("cloning needs PostgreSQL sessions")
        }
        guard extra > 0,
            let snapshot = try await primary.queryText("SELECT pg_export_snapshot()").first?.first ?? nil,
            snapshot.allSatisfy({ $0.isHexDigit || $0 == "-" })
        else { return SnapshotReaders(primary: primaryConnection, others: []) }
        var opened: [any SQLSession] = []
        var readers: [PostgresSession] = []
        do {
            for _ in 0..<extra {
                let session = try await DatabaseConnector.open(url, access: .readOnly, logger: logger)
                opened.append(session)
                guard let reader = session as? PostgresSession else {
                    throw CloneError.failed("cloning needs PostgreSQL sessions")
                }
                try await reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", [])
                // The identifier is checked above: hex digits and dashes only.
                try await reader.execute("SET TRANSACTION SNAPSHOT '\(snapshot)'", [])
                for setting in settings { try await reader.execute(setting) }
                readers.append(reader)
            }
        } catch {
            for session in opened { try? await session.close() }
            throw error
        }
        return SnapshotReaders(primary: primaryConnection, others: readers)
    }

    /// Ends the extra readers' transactions and closes them; the primary is its owner's.
    func close() async {
        for session in others {
            try? await session.execute("COMMIT", [])
            try? await session.close()
        }
    }
}
