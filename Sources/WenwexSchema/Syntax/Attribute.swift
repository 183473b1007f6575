/// A field attribute (`@unique`, `@db.VarChar(255)`) or block attribute (`@@index([title])`).
public struct Attribute: Sendable, Hashable, CustomStringConvertible {
    /// The name without `@`/`@@`, dotted for native types: `id`, `db.VarChar`.
    public var name: String
    public var nameRange: SourceRange
    public var isBlockAttribute: Bool
    /// `nil` when written without parentheses (`@id`), empty for `@id()`.
    public var arguments: [Argument]?
    /// From the `@` to the closing parenthesis.
    public var range: SourceRange

    public init(
        name: String,
        nameRange: SourceRange,
        isBlockAttribute: Bool,
        arguments: [Argument]?,
        range: SourceRange
    ) {
        self.name = name
        self.nameRange = nameRange
        self.isBlockAttribute = isBlockAttribute
        self.arguments = arguments
        self.range = range
    }

    /// The argument named `name`, or, when `position` is given, the unnamed argument at it.
    public func argument(_ name: String, position: Int? = nil) -> Argument? {
        let all = arguments ?? []
        if let named = all.first(where: { $0.name?.name == name }) { return named }
        guard let position else { return nil }
        let unnamed = all.filter { $0.name == nil }
        return position < unnamed.count ? unnamed[position] : nil
    }

    /// The spelling with `@`/`@@`, as used in messages: `"@relation"`.
    public var displayName: String { (isBlockAttribute ? "@@" : "@") + name }

    public var description: String {
        guard let arguments else { return displayName }
        return "\(displayName)(\(arguments.map(\.description).joined(separator: ", ")))"
    }
}
