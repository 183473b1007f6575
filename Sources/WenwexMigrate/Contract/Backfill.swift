import Foundation
public import WenwexSQL

/// A data change too large for one transaction, declared in a migration file and run by
/// `migrate deploy` after the file's statements commit: in batches by primary-key range, each
/// batch its own short transaction, pausing between batches so the traffic keeps its share of
/// the database, and resumable after a kill (``BackfillProgress`` commits with each batch).
///
/// The expand half of an expand/contract change uses it to fill a new column:
///
/// ```sql
/// -- wenwex:backfill "Person" SET "full_name" = "name" WHERE "full_name" IS NULL
/// ```
///
/// The line names the table, the assignments of an `UPDATE`, and optionally the rows to
/// touch; the table needs a single-column primary key, which the batches walk in order.
public struct Backfill: Sendable, Hashable {
    public var table: TableName
    /// What follows `SET` in the `UPDATE`.
    public var assignments: String
    /// What follows `WHERE`, when the line has one.
    public var condition: String?
    /// The directive's position among the file's backfills (from 0): its progress row's key.
    public var position: Int

    /// The file's backfill lines, in order. A line that starts like one but cannot be read is
    /// an error naming it, so a typo never silently skips a backfill.
    public static func declared(in file: MigrationFile) throws -> [Backfill] {
        var backfills: [Backfill] = []
        for (number, line) in file.sql.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("--") else { continue }
            let body = text.dropFirst(2).trimmingCharacters(in: .whitespaces)
            guard body.hasPrefix(Self.marker) else { continue }
            let rest = body.dropFirst(Self.marker.count).trimmingCharacters(in: .whitespaces)
            guard let match = rest.wholeMatch(of: Self.pattern) else {
                throw BackfillError.unreadable(migration: file.name, line: number + 1, text: text)
            }
            let condition = match.3.map { String($0).trimmingCharacters(in: .whitespaces) }
            backfills.append(
                Backfill(
                    table: StatementLock.tableName(String(match.1)),
                    assignments: String(match.2).trimmingCharacters(in: .whitespaces),
                    condition: condition?.isEmpty == true ? nil : condition,
                    position: backfills.count
                )
            )
        }
        return backfills
    }

    static let marker = "wenwex:backfill"

    /// `<table> SET <assignments> [WHERE <condition>]`; the assignments may not contain a
    /// top-level `WHERE` (none does).
    nonisolated(unsafe) private static let pattern =
        #/(?i)((?:"(?:[^"]|"")+"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[\w$]+))?)\s+SET\s+(.+?)(?:\s+WHERE\s+(.+))?/#
}

/// Why a backfill could not run. Each says what to change.
public enum BackfillError: Error, Sendable, CustomStringConvertible {
    case unreadable(migration: String, line: Int, text: String)
    case noSingleColumnKey(migration: String, table: TableName)
    case batchFailed(migration: String, table: TableName, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let migration, let line, let text):
            """
            migration \(migration), line \(line): cannot read the backfill `\(text)`
              fix: write it as `-- wenwex:backfill "Table" SET "column" = <expression> [WHERE <condition>]`
            """
        case .noSingleColumnKey(let migration, let table):
            """
            migration \(migration): the backfill of \(table) needs a single-column primary key to walk in batches, and the table has none
              fix: backfill a table with a single-column key, or run the update as statements of the migration itself
            """
        case .batchFailed(let migration, let table, let reason):
            """
            migration \(migration): a backfill batch of \(table) failed and was rolled back (the batches before it are kept): \(reason)
              fix: repair the data it trips on, then run `wenwex migrate deploy` again: it resumes after the last batch that committed
            """
        }
    }
}
