import Crypto
import Foundation
import WenwexSQL

/// Row counts and content checksums per table: taken from the source inside the backup's
/// snapshot, and again from the scratch database a verification restores into.
///
/// The checksum is a sum of per-row hashes, so it does not depend on the order rows come back
/// in and needs no sort. On PostgreSQL the server computes it in one scan
/// (`hash_record_extended`, which hashes each column with its type's own hash function, or the
/// row's text for a table with a type that has none, such as `json`); on SQLite this process
/// hashes each row's values.
enum TableStatistics {
    static func collect(_ session: any SQLSession) async throws -> [BackupManifest.TableSummary] {
        switch session.dialect {
        case .postgres: try await postgres(session)
        case .sqlite: try await sqlite(session)
        }
    }

    // MARK: PostgreSQL

    /// The session settings that make a row's text the same on the source and on the restored
    /// copy, whatever the server's or role's defaults.
    static let stableTextSettings: [SQLQuery] = [
        "SET LOCAL TimeZone = 'UTC'", "SET LOCAL DateStyle = 'ISO, YMD'", "SET LOCAL extra_float_digits = 3",
        "SET LOCAL IntervalStyle = 'postgres'", "SET LOCAL bytea_output = 'hex'",
    ]

    /// Ordinary and partition tables in user schemas, minus extensions' own tables (pg_dump
    /// leaves their rows out too).
    static let postgresTables: SQLQuery = """
        SELECT n.nspname, c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r'
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
          AND NOT EXISTS (
            SELECT 1 FROM pg_depend d
            WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        ORDER BY 1, 2
        """

    /// Runs inside the caller's transaction (the backup's snapshot), with savepoints around
    /// the per-table attempts so a type without a hash function does not abort it.
    private static func postgres(_ session: any SQLSession) async throws -> [BackupManifest.TableSummary] {
        for setting in stableTextSettings { try await session.execute(setting) }
        var summaries: [BackupManifest.TableSummary] = []
        for row in try await session.queryText(postgresTables) {
            guard let schema = row[0], let table = row[1] else { continue }
            let name = SQLDialect.postgres.quoteIdentifier(schema) + "." + SQLDialect.postgres.quoteIdentifier(table)
            let byType = "SELECT count(*)::text, coalesce(sum(hash_record_extended(t, 0)), 0)::text FROM \(name) AS t"
            let byText = "SELECT count(*)::text, coalesce(sum(hashtextextended(t::text, 0)), 0)::text FROM \(name) AS t"
            try await session.execute("SAVEPOINT wenwex_statistics")
            var result: [[String?]]
            do {
                result = try await session.queryText(byType, [])
                try await session.execute("RELEASE SAVEPOINT wenwex_statistics")
            } catch {
                try await session.execute("ROLLBACK TO SAVEPOINT wenwex_statistics")
                result = try await session.queryText(byText, [])
            }
            summaries.append(
                .init(
                    name: "\(schema).\(table)",
                    rows: Int(result.first?[0] ?? "") ?? 0,
                    checksum: result.first?[1] ?? "0"
                )
            )
        }
        // Sequences, so a restore that lost their positions (and would hand out ids again)
        // fails verification: the position stands in for the checksum.
        let sequences = try await session.queryText(
            """
            SELECT schemaname, sequencename, coalesce(last_value::text, 'unused')
            FROM pg_sequences
            WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1, 2
            """
        )
        for row in sequences {
            guard let schema = row[0], let sequence = row[1] else { continue }
            summaries.append(.init(name: "sequence \(schema).\(sequence)", rows: 0, checksum: row[2] ?? "unused"))
        }
        return summaries
    }

    // MARK: SQLite

    private static func sqlite(_ session: any SQLSession) async throws -> [BackupManifest.TableSummary] {
        let tables = try await session.queryText(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND (name NOT LIKE 'sqlite\\_%' ESCAPE '\\' OR name = 'sqlite_sequence') ORDER BY name"
        ).compactMap { $0.first ?? nil }
        var summaries: [BackupManifest.TableSummary] = []
        for table in tables {
            let quoted = SQLDialect.sqlite.quoteIdentifier(table)
            var rows = 0
            var sum: UInt64 = 0
            // Pages by rowid, so a large table is never held in memory at once; a table
            // WITHOUT ROWID is read in one query.
            let hasRowID = (try? await session.query("SELECT rowid FROM \(quoted) LIMIT 1", [])) != nil
            if hasRowID {
                var last = Int.min
                while true {
                    let page = try await session.query(
                        "SELECT rowid, * FROM \(quoted) WHERE rowid > $1 ORDER BY rowid LIMIT 2000",
                        [.integer(last)]
                    )
                    for row in page {
                        sum &+= rowHash(row.values.dropFirst())
                        last = row.values[0].integer ?? last
                    }
                    rows += page.count
                    if page.count < 2000 { break }
                }
            } else {
                for row in try await session.query("SELECT * FROM \(quoted)", []) {
                    sum &+= rowHash(row.values[...])
                    rows += 1
                }
            }
            // AUTOINCREMENT's positions, listed as PostgreSQL's sequences are.
            let name = table == "sqlite_sequence" ? "sequence sqlite_sequence" : table
            summaries.append(.init(name: name, rows: rows, checksum: String(sum)))
        }
        return summaries
    }

    /// The first 8 bytes of the SHA-256 of the row's values, each tagged with its kind.
    private static func rowHash(_ values: ArraySlice<SQLValue>) -> UInt64 {
        var hash = SHA256()
        for value in values {
            switch value {
            case .null: hash.update(data: [0])
            case .integer(let number): hash.update(data: [1] + Array(String(number).utf8) + [0])
            case .double(let number): hash.update(data: [2] + Array(String(number.bitPattern).utf8) + [0])
            case .text(let text): hash.update(data: [3] + Array(String(text.utf8.count).utf8) + [0] + Array(text.utf8))
            case .bool(let flag): hash.update(data: [4, flag ? 1 : 0])
            case .bytes(let bytes): hash.update(data: [5] + Array(String(bytes.count).utf8) + [0] + bytes)
            }
        }
        return hash.finalize().prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// What differs between the manifest's tables and a restored copy's, one line each.
    static func differences(
        expected: [BackupManifest.TableSummary],
        actual: [BackupManifest.TableSummary]
    ) -> [String] {
        var lines: [String] = []
        let found = Dictionary(actual.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for table in expected {
            guard let restored = found[table.name] else {
                lines.append("table \(table.name) is missing from the restored copy")
                continue
            }
            if restored.rows != table.rows {
                lines.append("table \(table.name) has \(restored.rows) rows in the restored copy, \(table.rows) in the manifest")
            } else if restored.checksum != table.checksum {
                lines.append("table \(table.name) has the same row count but different contents (checksum \(restored.checksum), manifest \(table.checksum))")
            }
        }
        let known = Set(expected.map(\.name))
        for table in actual where !known.contains(table.name) {
            lines.append("table \(table.name) is in the restored copy but not in the manifest")
        }
        return lines
    }
}
