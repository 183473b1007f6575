/// The text of one `.prisma` file and the path diagnostics name it by.
///
/// A schema is one file or a folder of files; keeping the text lets diagnostics quote the
/// offending line and lets the formatter tell which files would change.
public struct SchemaSource: Sendable, Hashable {
    /// The path as the user should see it (relative to where the command ran when possible).
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// The text of line `number` (1-based), without its line break; empty past the end.
    public func line(_ number: Int) -> String {
        var current = 1
        var lineStart = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            if current == number { break }
            if text[index] == "\n" || text[index] == "\r\n" {
                current += 1
                lineStart = text.index(after: index)
            }
            index = text.index(after: index)
        }
        guard current == number else { return "" }
        let rest = text[lineStart...]
        let end = rest.firstIndex(where: { $0 == "\n" || $0 == "\r\n" }) ?? rest.endIndex
        return String(rest[..<end])
    }
}
