/// Spelling values as schema text.
enum PullText {
    /// A string literal the lexer reads back as `text`: quotes, backslashes and line breaks
    /// escaped (a raw line break would end the literal).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\r\n": result += "\\r\\n"
            case "\t": result += "\\t"
            default: result.append(character)
            }
        }
        return result + "\""
    }

    /// `[a, b]`.
    static func list(_ items: [String]) -> String {
        "[" + items.joined(separator: ", ") + "]"
    }

    /// `name(arguments)`, or just `name` without arguments.
    static func call(_ name: String, _ arguments: [String]) -> String {
        arguments.isEmpty ? name : "\(name)(\(arguments.joined(separator: ", ")))"
    }
}
