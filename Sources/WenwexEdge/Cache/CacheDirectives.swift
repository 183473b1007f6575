/// The directives of a `Cache-Control` (or `CDN-Cache-Control`) field, parsed once.
///
/// Names compare case-insensitively; a value may be a token or a quoted string. When a directive
/// appears twice the first occurrence wins, as RFC 9111 §4.2.1 allows. A delta-seconds value
/// that is not a plain non-negative integer makes the response stale rather than fresh for ever.
public struct CacheDirectives: Sendable {
    /// Lower-cased names with their unquoted values, in field order.
    public private(set) var entries: [(name: String, value: String?)]

    /// Parses every line of the field; `[]` when it is absent.
    public init(_ lines: [String]) {
        entries = []
        for line in lines {
            for member in Self.splitMembers(line) {
                let trimmed = member.trimmingSpaces
                guard !trimmed.isEmpty else { continue }
                if let equals = trimmed.firstIndex(of: "=") {
                    let name = String(trimmed[..<equals]).trimmingSpaces.lowercased()
                    var value = String(trimmed[trimmed.index(after: equals)...]).trimmingSpaces
                    if value.count >= 2, value.first == "\"", value.last == "\"" {
                        value = String(value.dropFirst().dropLast()).replacingBackslashEscapes
                    }
                    entries.append((name, value))
                } else {
                    entries.append((trimmed.lowercased(), nil))
                }
            }
        }
    }

    /// Whether any directive was present at all.
    public var isEmpty: Bool { entries.isEmpty }

    /// Whether `name` is present, with or without a value (`no-cache="Set-Cookie"` counts).
    public func has(_ name: String) -> Bool {
        entries.contains { $0.name == name }
    }

    /// The first value of `name` as delta-seconds, clamped to 2^31 (RFC 9111 §1.2.2); `0` for
    /// a malformed value, `nil` when absent.
    public func seconds(_ name: String) -> Int? {
        guard let entry = entries.first(where: { $0.name == name }) else { return nil }
        return Self.deltaSeconds(entry.value) ?? 0
    }

    /// A non-negative integer, clamped to 2^31; `nil` for anything else.
    static func deltaSeconds(_ text: String?) -> Int? {
        guard let text, !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let digits = text.drop { $0 == "0" }
        if digits.count > 10 { return 1 << 31 }
        return min(Int(digits) ?? 0, 1 << 31)
    }

    /// Splits at commas outside quoted strings.
    private static func splitMembers(_ line: String) -> [Substring] {
        var members: [Substring] = []
        var start = line.startIndex
        var inQuotes = false
        var escaped = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if escaped {
                escaped = false
            } else if character == "\\" && inQuotes {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == "," && !inQuotes {
                members.append(line[start..<index])
                start = line.index(after: index)
            }
            index = line.index(after: index)
        }
        members.append(line[start...])
        return members
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }

    var replacingBackslashEscapes: String {
        var result = ""
        var escaped = false
        for character in self {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
