import Foundation
import WenwexSQL

/// What one PostgreSQL DDL statement does to a live table: the lock it takes, whether it reads
/// or rewrites every row while holding it, and the form that does not stop traffic.
///
/// Read from the statement itself, because the schema diff cannot tell `ADD FOREIGN KEY … NOT
/// VALID` from the plain form, and a hand-written migration is judged by what it runs. The
/// lock modes are those of PostgreSQL's documentation ("Explicit Locking", and each
/// `ALTER TABLE` form's note).
struct StatementLock: Sendable, Hashable {
    enum Work: Sendable, Hashable {
        /// Only the catalog changes: the lock is held for an instant (unless it has to wait).
        case catalog
        /// Every row is read (to validate), under the lock.
        case scan
        /// Every row is written anew (and every index rebuilt), under the lock.
        case rewrite
        /// An index is built, under the lock.
        case indexBuild
    }

    var rule: LintRule
    var table: TableName
    /// `ACCESS EXCLUSIVE` (blocks reads and writes), `SHARE ROW EXCLUSIVE` (blocks writes), …
    var lock: String
    var work: Work
    /// What the statement does, in a few words: `adds foreign key "Order_userId_fkey"`.
    var action: String
    /// The safe way, spelled out.
    var saferForm: String
    /// The column a `SET NOT NULL` makes required, unquoted.
    var column: String? = nil

    /// `blocks reads and writes`, `blocks writes`: what the lock means for traffic.
    var blocks: String {
        lock == "ACCESS EXCLUSIVE" ? "blocks reads and writes on" : "blocks writes to"
    }

    /// Every risky action of `statement`; tables are looked up in `before` for column types
    /// and index owners.
    static func of(_ statement: String, before: SQLSchema) -> [StatementLock] {
        let text = LeadingComments.dropped(from: statement).trimmingCharacters(in: .whitespacesAndNewlines)
        if let lock = dropIndex(text, before: before) { return [lock] }
        guard let match = text.firstMatch(of: alterTable) else { return [] }
        let table = tableName(String(match.1))
        let actions = String(text[match.range.upperBound...])
        let notValid = actions.contains(notValidPattern)
        var locks: [StatementLock] = []
        for piece in splitActions(actions) {
            if let lock = classify(piece, table: table, notValid: notValid, before: before) { locks.append(lock) }
        }
        return locks
    }

    private static func classify(_ action: String, table: TableName, notValid: Bool, before: SQLSchema)
        -> StatementLock?
    {
        if let match = action.firstMatch(of: foreignKey), !notValid {
            let name = match.1.map { " " + String($0) } ?? ""
            return StatementLock(
                rule: .constraintWithoutNotValid,
                table: table,
                lock: "SHARE ROW EXCLUSIVE",
                work: .scan,
                action: "adds foreign key\(name)",
                saferForm:
                    "add it with NOT VALID (instant), then VALIDATE CONSTRAINT in a later migration, which checks the rows under a lock that lets reads and writes go on"
            )
        }
        if let match = action.firstMatch(of: check), !notValid {
            let name = match.1.map { " " + String($0) } ?? ""
            return StatementLock(
                rule: .constraintWithoutNotValid,
                table: table,
                lock: "ACCESS EXCLUSIVE",
                work: .scan,
                action: "adds check constraint\(name)",
                saferForm: "add it with NOT VALID, then VALIDATE CONSTRAINT in a later migration"
            )
        }
        if let match = action.firstMatch(of: uniqueOrPrimary), !action.contains(usingIndex) {
            return StatementLock(
                rule: .constraintWithoutIndex,
                table: table,
                lock: "ACCESS EXCLUSIVE",
                work: .indexBuild,
                action:
                    "adds a \(match.1.uppercased().hasPrefix("PRIMARY") ? "primary key" : "unique constraint") and builds its index",
                saferForm:
                    "build the index first with CREATE UNIQUE INDEX CONCURRENTLY (a file of its own), then ADD CONSTRAINT … USING INDEX, which is instant"
            )
        }
        if let match = action.firstMatch(of: setNotNull) {
            return StatementLock(
                rule: .setNotNull,
                table: table,
                lock: "ACCESS EXCLUSIVE",
                work: .scan,
                action: "makes \(match.1) required (SET NOT NULL checks every row)",
                saferForm:
                    "add CHECK (\(match.1) IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it, and then SET NOT NULL, which uses the validated check instead of scanning",
                column: unquoted(String(match.1))
            )
        }
        if let match = action.firstMatch(of: typeChange) {
            let column = unquoted(String(match.1))
            let newType = String(match.2).trimmingCharacters(in: .whitespaces)
            let oldType = before.table(table.name, schema: table.schema)?.column(column)?.type.text
            guard !isBinaryCoercible(from: oldType, to: newType) else { return nil }
            return StatementLock(
                rule: .rewritingTypeChange,
                table: table,
                lock: "ACCESS EXCLUSIVE",
                work: .rewrite,
                action: "changes the type of \(match.1)\(oldType.map { " from \($0)" } ?? "") to \(newType)",
                saferForm:
                    "expand and contract: add a column of the new type, keep it in step with a trigger, backfill it in batches, switch the code over, then drop the old column"
            )
        }
        if action.firstMatch(of: addColumn) != nil, let function = volatileDefault(action) {
            return StatementLock(
                rule: .volatileDefault,
                table: table,
                lock: "ACCESS EXCLUSIVE",
                work: .rewrite,
                action: "adds a column whose default (\(function)) differs row by row, so every row is rewritten",
                saferForm: "add the column without the default (or with a constant one), then fill it in batches"
            )
        }
        if let match = action.firstMatch(of: rename) {
            let what = match.1.map { "column \($0)" } ?? "the table"
            return StatementLock(
                rule: .renameInUse,
                table: table,
                lock: "ACCESS EXCLUSIVE",
                work: .catalog,
                action: "renames \(what)",
                saferForm:
                    "expand and contract: add the new name beside the old one, move the code over, and drop the old name in a later release"
            )
        }
        return nil
    }

    private static func dropIndex(_ text: String, before: SQLSchema) -> StatementLock? {
        guard let match = text.firstMatch(of: dropIndexPattern), match.1 == nil else { return nil }
        let name = unquoted(String(match.2).split(separator: ".").last.map(String.init) ?? "")
        guard let owner = before.tables.first(where: { $0.indexes.contains { $0.name == name } }) else { return nil }
        return StatementLock(
            rule: .dropIndexWithoutConcurrently,
            table: TableName(of: owner),
            lock: "ACCESS EXCLUSIVE",
            work: .catalog,
            action: "drops index \"\(name)\" (waiting behind every query that uses the table)",
            saferForm: "DROP INDEX CONCURRENTLY, in a file of its own (it cannot run in a transaction)"
        )
    }

    /// `varchar(n)` → `text`, `varchar(m ≥ n)` or unbounded `varchar`, and `text` → unbounded
    /// `varchar`: PostgreSQL only updates the catalog.
    static func isBinaryCoercible(from old: String?, to new: String) -> Bool {
        guard let old else { return false }
        func parts(_ type: String) -> (base: String, length: Int?) {
            let upper = type.uppercased().replacingOccurrences(of: "CHARACTER VARYING", with: "VARCHAR")
            let base = String(upper.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces)
            let length = upper.firstIndex(of: "(").flatMap { start in
                Int(upper[upper.index(after: start)...].prefix { $0.isNumber })
            }
            return (base, length)
        }
        let from = parts(old)
        let to = parts(new.split(separator: " ").first.map(String.init) ?? new)
        guard ["VARCHAR", "TEXT"].contains(from.base), ["VARCHAR", "TEXT"].contains(to.base) else { return false }
        if to.base == "TEXT" || to.length == nil { return true }
        guard from.base == "VARCHAR", let old = from.length, let new = to.length else { return false }
        return new >= old
    }

    private static func volatileDefault(_ action: String) -> String? {
        let upper = action.uppercased()
        if upper.contains(" SERIAL") || upper.contains(" BIGSERIAL") || upper.contains(" SMALLSERIAL") {
            return "a sequence"
        }
        if upper.contains("GENERATED ALWAYS AS (") || upper.contains("STORED") { return "a stored generated value" }
        guard let defaultRange = upper.range(of: "DEFAULT") else { return nil }
        let expression = upper[defaultRange.upperBound...]
        for function in [
            "RANDOM(", "GEN_RANDOM_UUID(", "UUID_GENERATE_V4(", "CLOCK_TIMESTAMP(", "TIMEOFDAY(", "NEXTVAL(",
        ]
        where expression.contains(function) {
            return function.lowercased() + ")"
        }
        return nil
    }

    /// The comma-separated actions of an `ALTER TABLE`, commas inside parentheses and quotes
    /// kept.
    static func splitActions(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var depth = 0
        var inQuote: Character?
        for character in text {
            if let quote = inQuote {
                if character == quote { inQuote = nil }
            } else if character == "\"" || character == "'" {
                inQuote = character
            } else if character == "(" {
                depth += 1
            } else if character == ")" {
                depth -= 1
            } else if character == ",", depth == 0 {
                pieces.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        pieces.append(current)
        return pieces
    }

    static func tableName(_ text: String) -> TableName {
        let parts = splitQualified(text)
        return parts.count == 2
            ? TableName(unquoted(parts[1]), schema: unquoted(parts[0])) : TableName(unquoted(parts[0]))
    }

    private static func splitQualified(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == ".", !quoted {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts
    }

    /// `"Order"` → `Order`; a bare name folded to lower case, as PostgreSQL does.
    static func unquoted(_ name: String) -> String {
        guard name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 else { return name.lowercased() }
        return String(name.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }

    nonisolated(unsafe) static let alterTable =
        #/(?i)^ALTER\s+TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?((?:"(?:[^"]|"")+"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[\w$]+))?)\s+/#
    nonisolated(unsafe) static let notValidPattern = #/(?i)\bNOT\s+VALID\b/#
    nonisolated(unsafe) private static let foreignKey =
        #/(?i)\bADD\s+(?:CONSTRAINT\s+("(?:[^"]|"")+"|[\w$]+)\s+)?FOREIGN\s+KEY\b/#
    nonisolated(unsafe) private static let check = #/(?i)\bADD\s+(?:CONSTRAINT\s+("(?:[^"]|"")+"|[\w$]+)\s+)?CHECK\b/#
    nonisolated(unsafe) private static let uniqueOrPrimary =
        #/(?i)\bADD\s+(?:CONSTRAINT\s+(?:"(?:[^"]|"")+"|[\w$]+)\s+)?(UNIQUE|PRIMARY\s+KEY)\b/#
    nonisolated(unsafe) private static let usingIndex = #/(?i)\bUSING\s+INDEX\b/#
    nonisolated(unsafe) private static let setNotNull =
        #/(?i)\bALTER\s+(?:COLUMN\s+)?("(?:[^"]|"")+"|[\w$]+)\s+SET\s+NOT\s+NULL\b/#
    nonisolated(unsafe) private static let typeChange =
        #/(?i)\bALTER\s+(?:COLUMN\s+)?("(?:[^"]|"")+"|[\w$]+)\s+(?:SET\s+DATA\s+)?TYPE\s+([^,;]+?)(?:\s+USING\b.*)?\s*$/#
    nonisolated(unsafe) private static let addColumn =
        #/(?i)^\s*ADD\s+(?!CONSTRAINT\b|FOREIGN\b|CHECK\b|UNIQUE\b|PRIMARY\b)/#
    nonisolated(unsafe) private static let rename =
        #/(?i)\bRENAME\s+(?:COLUMN\s+)?(?:("(?:[^"]|"")+"|[\w$]+)\s+)?TO\b/#
    nonisolated(unsafe) private static let dropIndexPattern =
        #/(?i)^DROP\s+INDEX\s+(CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?((?:"(?:[^"]|"")+"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[\w$]+))?)/#
}
