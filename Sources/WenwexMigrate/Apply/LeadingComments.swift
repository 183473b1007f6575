/// The comments before a statement's first word.
///
/// `SQLScript` keeps them with the statement that follows (`-- CreateIndex` and whatever note
/// a person added above a hand-edited statement), so code that looks at how a statement
/// starts must skip them first.
enum LeadingComments {
    /// `statement` from its first word on: leading whitespace, `-- …` lines and (nested)
    /// `/* … */` blocks removed.
    static func dropped(from statement: String) -> Substring {
        var remaining = Substring(statement)
        while true {
            remaining = remaining.drop { $0.isWhitespace }
            if remaining.hasPrefix("--") {
                remaining = remaining.drop { !$0.isNewline }
            } else if remaining.hasPrefix("/*") {
                var depth = 0
                while !remaining.isEmpty {
                    if remaining.hasPrefix("/*") {
                        depth += 1
                        remaining = remaining.dropFirst(2)
                    } else if remaining.hasPrefix("*/") {
                        depth -= 1
                        remaining = remaining.dropFirst(2)
                        if depth == 0 { break }
                    } else {
                        remaining = remaining.dropFirst()
                    }
                }
            } else {
                return remaining
            }
        }
    }
}
