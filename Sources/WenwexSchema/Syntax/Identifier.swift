/// A name in the schema (model, field, attribute argument, …) and where it is written.
public struct Identifier: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var range: SourceRange

    public init(_ name: String, range: SourceRange) {
        self.name = name
        self.range = range
    }

    public var description: String { name }
}

/// A `//` comment, kept so formatting never loses what a team wrote.
public struct Comment: Sendable, Hashable {
    /// The text after `//`, as written.
    public var text: String
    public var range: SourceRange

    public init(text: String, range: SourceRange) {
        self.text = text
        self.range = range
    }
}
