/// A value in an attribute argument or a datasource/generator property.
///
/// Prisma's expression grammar is small: literals, constants (enum values, `true`, `Desc`),
/// function calls (`autoincrement()`, `env("URL")`, `title(sort: Desc)`) and arrays.
public struct Expression: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A string literal: the decoded value and its source spelling (quotes and escapes kept).
        case string(String, raw: String)
        /// A numeric literal as written (`10`, `-1.5`).
        case number(String)
        /// A bare identifier: an enum value, `true`/`false`, `Cascade`, `Desc`, a field name.
        case constant(String)
        case function(name: String, arguments: [Argument])
        case array([Expression])
    }

    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// The value of a string literal, else `nil`.
    public var stringValue: String? {
        if case .string(let value, _) = kind { return value }
        return nil
    }

    /// The name of a constant or of a called function (`title` in `title(sort: Desc)`).
    public var constantName: String? {
        switch kind {
        case .constant(let name), .function(let name, _): return name
        default: return nil
        }
    }

    /// The elements of an array, or the expression itself as a one-element list.
    public var elements: [Expression] {
        if case .array(let elements) = kind { return elements }
        return [self]
    }

    /// The canonical spelling, as the formatter writes it.
    public var description: String {
        switch kind {
        case .string(_, let raw): return raw
        case .number(let text): return text
        case .constant(let name): return name
        case .function(let name, let arguments):
            return "\(name)(\(arguments.map(\.description).joined(separator: ", ")))"
        case .array(let elements):
            return "[\(elements.map(\.description).joined(separator: ", "))]"
        }
    }
}

/// One argument of an attribute or function call: positional (`"name"`) or named (`fields: [a]`).
public struct Argument: Sendable, Hashable, CustomStringConvertible {
    public var name: Identifier?
    public var value: Expression
    public var range: SourceRange

    public init(name: Identifier?, value: Expression, range: SourceRange) {
        self.name = name
        self.value = value
        self.range = range
    }

    public var description: String {
        guard let name else { return value.description }
        return "\(name.name): \(value.description)"
    }
}
