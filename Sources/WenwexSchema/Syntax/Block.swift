/// A top-level declaration: `datasource`, `generator`, `model`, `view`, `type` or `enum`.
///
/// One shape for all six keeps the parser and the formatter simple; typed accessors give the
/// fields, values, properties and block attributes a rule needs.
public struct Block: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case datasource
        case generator
        case model
        case view
        /// A composite type (`type Address { … }`); parsed, but only MongoDB supports them.
        case type
        case `enum`
    }

    /// What a block contains, in source order (comments and blank lines included).
    public enum Member: Sendable, Hashable {
        case field(Field)
        case enumValue(EnumValue)
        case property(ConfigProperty)
        case attribute(Attribute, trailingComment: Comment?)
        case comment(Comment)
        case blankLine
    }

    public var kind: Kind
    public var name: Identifier
    public var members: [Member]
    /// The `///` lines before the block, without the slashes.
    public var documentation: [String]
    public var range: SourceRange

    public init(kind: Kind, name: Identifier, members: [Member], documentation: [String] = [], range: SourceRange) {
        self.kind = kind
        self.name = name
        self.members = members
        self.documentation = documentation
        self.range = range
    }

    public var fields: [Field] {
        members.compactMap { if case .field(let field) = $0 { field } else { nil } }
    }

    public var enumValues: [EnumValue] {
        members.compactMap { if case .enumValue(let value) = $0 { value } else { nil } }
    }

    public var properties: [ConfigProperty] {
        members.compactMap { if case .property(let property) = $0 { property } else { nil } }
    }

    /// The `@@…` attributes.
    public var blockAttributes: [Attribute] {
        members.compactMap { if case .attribute(let attribute, _) = $0 { attribute } else { nil } }
    }

    public func field(_ name: String) -> Field? {
        fields.first { $0.name.name == name }
    }

    public func property(_ name: String) -> ConfigProperty? {
        properties.first { $0.name.name == name }
    }

    public func blockAttributes(named name: String) -> [Attribute] {
        blockAttributes.filter { $0.name == name }
    }

    /// Whether the block carries `@@ignore`.
    public var isIgnored: Bool { !blockAttributes(named: "ignore").isEmpty }
}
