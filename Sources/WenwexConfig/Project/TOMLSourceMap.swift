import Foundation

/// Finds where a table or key was written in a TOML file, so semantic errors in `wenwex.toml`
/// point at `file:line:column` even though the TOML library keeps no positions.
///
/// It understands `[a.b]` headers and `key =` / `a.b =` assignments, which is how project files
/// are written; anything it cannot place falls back to the nearest enclosing table.
struct TOMLSourceMap {
    private var positions: [[String]: (line: Int, column: Int)] = [:]

    init(_ text: String) {
        var table: [String] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = offset + 1
            let indent = rawLine.prefix(while: { $0 == " " || $0 == "\t" }).count
            let content = rawLine.dropFirst(indent)
            if content.hasPrefix("[") {
                let inner = content.drop(while: { $0 == "[" }).prefix(while: { $0 != "]" })
                table = Self.keyPath(inner)
                positions[table] = positions[table] ?? (line, indent + 1)
            } else if let equals = content.firstIndex(of: "="), !content.hasPrefix("#") {
                let path = table + Self.keyPath(content[..<equals])
                positions[path] = positions[path] ?? (line, indent + 1)
            }
        }
    }

    /// The position of `path`, or of its longest known prefix.
    func position(of path: [String]) -> (line: Int, column: Int)? {
        var path = path
        while !path.isEmpty {
            if let found = positions[path] { return found }
            path.removeLast()
        }
        return nil
    }

    private static func keyPath(_ text: Substring) -> [String] {
        text.split(separator: ".").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
    }
}
