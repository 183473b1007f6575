import Foundation

/// Splits a SQL script (a migration file) into the statements it holds.
///
/// Neither PostgresNIO's extended protocol nor SQLite's prepare runs more than one statement
/// at a time, so a file has to be cut at its semicolons. Only top-level ones count: those inside
/// quoted strings and identifiers, `E'…'` escapes, dollar-quoted bodies (`$$ … $$`,
/// `$fn$ … $fn$`), line and nested block comments, and SQLite trigger bodies
/// (`CREATE TRIGGER … BEGIN …; END`) are kept whole. Comment-only pieces are dropped.
public enum SQLScript {
    /// The top-level statements of `script` in order, trimmed and without their semicolons.
    ///
    /// Comments before a statement stay in its text; pieces that are only comments or whitespace are
    /// dropped.
    ///
    /// ```swift
    /// SQLScript.statements(in: "CREATE TABLE a (x TEXT); -- seed\nINSERT INTO a VALUES ('x;y');")
    /// // ["CREATE TABLE a (x TEXT)", "-- seed\nINSERT INTO a VALUES ('x;y')"]
    /// ```
    public static func statements(in script: String) -> [String] {
        let characters = Array(script.unicodeScalars)
        var statements: [String] = []
        var start = 0
        var index = 0
        var triggerDepth = 0
        var hasCode = false

        func finish(at end: Int) {
            let text = String(String.UnicodeScalarView(characters[start..<end]))
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if hasCode, !text.isEmpty { statements.append(text) }
            hasCode = false
        }

        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "-" where next == "-":
                while index < characters.count, characters[index] != "\n" { index += 1 }
                continue
            case "/" where next == "*":
                index = skipBlockComment(characters, from: index)
                continue
            case "'":
                let escapes = index > 0 && (characters[index - 1] == "E" || characters[index - 1] == "e")
                index = skipQuoted(characters, from: index, quote: "'", backslashEscapes: escapes)
                hasCode = true
                continue
            case "\"", "`":
                index = skipQuoted(characters, from: index, quote: character, backslashEscapes: false)
                hasCode = true
                continue
            case "$":
                if let end = skipDollarQuoted(characters, from: index) {
                    index = end
                    hasCode = true
                    continue
                }
            case ";":
                if triggerDepth == 0 {
                    finish(at: index)
                    start = index + 1
                }
                index += 1
                continue
            default:
                break
            }
            if character.properties.isAlphabetic || character == "_" {
                var end = index
                while end < characters.count,
                    characters[end].properties.isAlphabetic || characters[end] == "_"
                        || ("0"..."9").contains(characters[end])
                {
                    end += 1
                }
                let word = String(String.UnicodeScalarView(characters[index..<end])).uppercased()
                hasCode = true
                if word == "BEGIN", isInsideTrigger(characters, from: start, to: index) { triggerDepth += 1 }
                if word == "END", triggerDepth > 0 { triggerDepth -= 1 }
                index = end
                continue
            }
            if !character.properties.isWhitespace { hasCode = true }
            index += 1
        }
        finish(at: characters.count)
        return statements
    }

    private static func skipBlockComment(_ characters: [Unicode.Scalar], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < characters.count {
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if characters[index] == "/", next == "*" {
                depth += 1
                index += 2
            } else if characters[index] == "*", next == "/" {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return index
    }

    private static func skipQuoted(
        _ characters: [Unicode.Scalar],
        from start: Int,
        quote: Unicode.Scalar,
        backslashEscapes: Bool
    ) -> Int {
        var index = start + 1
        while index < characters.count {
            if backslashEscapes, characters[index] == "\\" {
                index += 2
                continue
            }
            if characters[index] == quote {
                // A doubled quote is an escaped one.
                if index + 1 < characters.count, characters[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return index
    }

    /// The index after a dollar-quoted string starting at `start`, or `nil` when `$` starts a
    /// parameter (`$1`) or is part of a name instead.
    private static func skipDollarQuoted(_ characters: [Unicode.Scalar], from start: Int) -> Int? {
        if start > 0, characters[start - 1].properties.isAlphabetic || characters[start - 1] == "_" { return nil }
        var tagEnd = start + 1
        while tagEnd < characters.count, characters[tagEnd].properties.isAlphabetic || characters[tagEnd] == "_" {
            tagEnd += 1
        }
        guard tagEnd < characters.count, characters[tagEnd] == "$" else { return nil }
        let tag = Array(characters[start...tagEnd])
        var index = tagEnd + 1
        while index + tag.count <= characters.count {
            if characters[index] == "$", Array(characters[index..<(index + tag.count)]) == tag {
                return index + tag.count
            }
            index += 1
        }
        return characters.count
    }

    /// Whether the statement running from `start` to `end` is a `CREATE [TEMP] TRIGGER`, whose
    /// `BEGIN … END` body holds semicolons.
    private static func isInsideTrigger(_ characters: [Unicode.Scalar], from start: Int, to end: Int) -> Bool {
        let words = String(String.UnicodeScalarView(characters[start..<end])).uppercased()
            .split(whereSeparator: { !$0.isLetter }).prefix(16)
        return words.contains("CREATE") && words.contains("TRIGGER")
    }
}
