import Foundation
import WenwexSQL

/// The `CREATE INDEX` statements of a migration file, by index name, and whether each builds
/// `CONCURRENTLY`.
///
/// The schema diff says which indexes a migration creates but not how; a file edited to
/// build an index concurrently differs only in its SQL, so the linter reads the statement.
struct IndexStatements: Sendable {
    /// Index name (as PostgreSQL stores it) → whether some statement creating it says
    /// `CONCURRENTLY`.
    private var concurrently: [String: Bool] = [:]

    init(sql: String) {
        for statement in SQLScript.statements(in: sql) {
            guard let (name, isConcurrent) = Self.parse(statement) else { continue }
            concurrently[name] = (concurrently[name] ?? false) || isConcurrent
        }
    }

    /// Whether the file builds the index `name` concurrently. An index the file creates some
    /// other way (or not visibly) is not built concurrently.
    func buildsConcurrently(_ name: String) -> Bool {
        concurrently[name] ?? false
    }

    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON …`: the name (unquoted,
    /// or folded to lower case as PostgreSQL does for a bare name) and whether `CONCURRENTLY`
    /// is there. `nil` for any other statement, and for an index without a name.
    static func parse(_ statement: String) -> (name: String, concurrently: Bool)? {
        var words = Words(statement)
        guard words.next()?.uppercased() == "CREATE" else { return nil }
        var word = words.next()
        if word?.uppercased() == "UNIQUE" { word = words.next() }
        guard word?.uppercased() == "INDEX" else { return nil }
        word = words.next()
        let isConcurrent = word?.uppercased() == "CONCURRENTLY"
        if isConcurrent { word = words.next() }
        if word?.uppercased() == "IF" {
            guard words.next()?.uppercased() == "NOT", words.next()?.uppercased() == "EXISTS" else { return nil }
            word = words.next()
        }
        guard let word, word.uppercased() != "ON" else { return nil }
        return (Self.identifier(word), isConcurrent)
    }

    /// `"Post_title_idx"` → `Post_title_idx` (with `""` unescaped); `post_idx` as PostgreSQL
    /// folds a bare name.
    private static func identifier(_ word: String) -> String {
        guard word.hasPrefix("\""), word.hasSuffix("\""), word.count >= 2 else { return word.lowercased() }
        return String(word.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }

    /// The words of a statement, a double-quoted identifier being one word whatever it holds.
    private struct Words {
        private var remaining: Substring

        /// The words from the statement's first one on (`SQLScript` keeps the comments before it).
        init(_ statement: String) { remaining = LeadingComments.dropped(from: statement) }

        mutating func next() -> String? {
            remaining = remaining.drop { $0.isWhitespace }
            guard let first = remaining.first else { return nil }
            if first == "\"" {
                var index = remaining.index(after: remaining.startIndex)
                while index < remaining.endIndex {
                    if remaining[index] == "\"" {
                        let after = remaining.index(after: index)
                        if after < remaining.endIndex, remaining[after] == "\"" {
                            index = remaining.index(after: after)
                            continue
                        }
                        let word = String(remaining[..<after])
                        remaining = remaining[after...]
                        return word
                    }
                    index = remaining.index(after: index)
                }
                defer { remaining = remaining[remaining.endIndex...] }
                return String(remaining)
            }
            let end = remaining.firstIndex { $0.isWhitespace || $0 == "(" || $0 == "\"" } ?? remaining.endIndex
            if end == remaining.startIndex {
                // A lone `(`: a word of its own.
                let after = remaining.index(after: end)
                defer { remaining = remaining[after...] }
                return String(remaining[..<after])
            }
            defer { remaining = remaining[end...] }
            return String(remaining[..<end])
        }

    }
}
