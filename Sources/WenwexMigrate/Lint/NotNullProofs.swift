import Foundation
import WenwexSQL

/// Columns a validated `CHECK (column IS NOT NULL)` proves hold no NULL, read from a
/// migration's statements in order.
///
/// PostgreSQL (12 and later) turns `SET NOT NULL` on such a column into a catalog change
/// without a scan, which is exactly the safe form the lock lint asks for, so the lint must not
/// report it. A check added `NOT VALID` proves nothing until a `VALIDATE CONSTRAINT` of it.
struct NotNullProofs {
    private struct Key: Hashable {
        var table: TableName
        var column: String
    }

    private struct Constraint: Hashable {
        var table: TableName
        var name: String
    }

    /// Checks added `NOT VALID`, by constraint name, waiting for their `VALIDATE CONSTRAINT`.
    private var unvalidated: [String: Key] = [:]
    private var proven: Set<Key> = []
    /// Every `VALIDATE CONSTRAINT` read, including of checks an earlier migration added.
    private var validated: Set<Constraint> = []

    mutating func read(_ statement: String) {
        let text = LeadingComments.dropped(from: statement).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let match = text.firstMatch(of: StatementLock.alterTable) else { return }
        let table = StatementLock.tableName(String(match.1))
        let actions = String(text[match.range.upperBound...])
        let notValid = actions.contains(StatementLock.notValidPattern)
        for action in StatementLock.splitActions(actions) {
            if let check = action.firstMatch(of: Self.notNullCheck) {
                let key = Key(table: table, column: StatementLock.unquoted(String(check.2)))
                if notValid, let name = check.1 {
                    unvalidated[StatementLock.unquoted(String(name))] = key
                } else if !notValid {
                    proven.insert(key)
                }
            } else if let validate = action.firstMatch(of: Self.validate) {
                let name = StatementLock.unquoted(String(validate.1))
                validated.insert(Constraint(table: table, name: name))
                if let key = unvalidated[name], key.table == table { proven.insert(key) }
            }
        }
    }

    func proves(_ column: String, of table: TableName) -> Bool {
        proven.contains(Key(table: table, column: column))
    }

    /// Whether one of the database's checks proves `column` of `table`: validated already, or
    /// by a statement read so far (the check came from an earlier migration, `NOT VALID`).
    func proves(_ column: String, of table: TableName, among checks: [LintDatabaseFacts.NotNullCheck]) -> Bool {
        checks.contains { check in
            check.column == column
                && (check.isValidated || validated.contains(Constraint(table: table, name: check.name)))
        }
    }

    nonisolated(unsafe) private static let notNullCheck =
        #/(?i)\bADD\s+(?:CONSTRAINT\s+("(?:[^"]|"")+"|[\w$]+)\s+)?CHECK\s*\(\s*\(?\s*("(?:[^"]|"")+"|[\w$]+)\s+IS\s+NOT\s+NULL\s*\)?\s*\)/#
    nonisolated(unsafe) private static let validate = #/(?i)\bVALIDATE\s+CONSTRAINT\s+("(?:[^"]|"")+"|[\w$]+)/#
}
