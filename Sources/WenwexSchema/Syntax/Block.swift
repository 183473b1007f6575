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

    struct Contents: Sendable, Hashable {
        var kind: Kind
        var name: Identifier
        var members: [Member]
        var documentation: [String]
        var range: SourceRange
        /// The fields and block attributes of `members`, kept with them: every rule and the
        /// lowering ask for them again and again, and collecting them anew each time made
        /// validating and lowering a thousand-model schema several times slower.
        var fields: [Field] = []
        var blockAttributes: [Attribute] = []
        /// The kinds of `blockAttributes` (see `AttributeKind`).
        var blockAttributeKinds = AttributeKinds(rawValue: 0)

        mutating func collectMembers() {
            fields = []
            blockAttributes = []
            fields.reserveCapacity(members.count)
            for member in members {
                switch member {
                case .field(let field): fields.append(field)
                case .attribute(let attribute, _): blockAttributes.append(attribute)
                default: break
                }
            }
            blockAttributeKinds = AttributeKinds(blockAttributes)
        }
    }

    private var contents: CopyOnWrite<Contents>

    public var kind: Kind {
        get { contents.value.kind }
        set { contents.value.kind = newValue }
    }
    public var name: Identifier {
        get { contents.value.name }
        set { contents.value.name = newValue }
    }
    public var members: [Member] {
        get { contents.value.members }
        set {
            contents.value.members = newValue
            contents.value.collectMembers()
        }
    }
    /// The `///` lines before the block, without the slashes.
    public var documentation: [String] {
        get { contents.value.documentation }
        set { contents.value.documentation = newValue }
    }
    public var range: SourceRange {
        get { contents.value.range }
        set { contents.value.range = newValue }
    }
    /// The fields, in order.
    public var fields: [Field] { contents.value.fields }
    /// The `@@…` attributes.
    public var blockAttributes: [Attribute] { contents.value.blockAttributes }

    public init(kind: Kind, name: Identifier, members: [Member], documentation: [String] = [], range: SourceRange) {
        var contents = Contents(kind: kind, name: name, members: members, documentation: documentation, range: range)
        contents.collectMembers()
        self.contents = CopyOnWrite(contents)
    }

    public var enumValues: [EnumValue] {
        members.compactMap { if case .enumValue(let value) = $0 { value } else { nil } }
    }

    /// The value named `name`, found without collecting every value first.
    func enumValue(named name: String) -> EnumValue? {
        contents.value.members.withUnsafeBufferPointer { members in
            for index in members.indices {
                if case .enumValue(let value) = members[index], value.name.name == name { return value }
            }
            return nil
        }
    }

    /// Whether the block has a value named `name`.
    func hasEnumValue(named name: String) -> Bool {
        contents.value.members.withUnsafeBufferPointer { members in
            for index in members.indices {
                if case .enumValue(let value) = members[index], value.name.name == name { return true }
            }
            return false
        }
    }

    public var properties: [ConfigProperty] {
        members.compactMap { if case .property(let property) = $0 { property } else { nil } }
    }

    public func field(_ name: String) -> Field? {
        fields.firstInPlace { $0.name.name == name }
    }

    public func property(_ name: String) -> ConfigProperty? {
        properties.first { $0.name.name == name }
    }

    public func blockAttributes(named name: String) -> [Attribute] {
        if let kind = AttributeKind(name: name) { return blockAttributes(kind) }
        return contents.value.blockAttributes.filterInPlace { $0.name == name }
    }

    /// The same for a block and its copies (not for an equal block parsed separately).
    var identity: ObjectIdentifier { contents.identity }

    /// Whether the block is a model, view or composite type: a block with fields.
    var hasFields: Bool {
        let kind = contents.value.kind
        return kind == .model || kind == .view || kind == .type
    }

    /// Whether the block carries `@@ignore`.
    public var isIgnored: Bool { contents.value.blockAttributeKinds.contains(.ignore) }

    /// Whether it carries the block attribute `kind`.
    func has(_ kind: AttributeKind) -> Bool { contents.value.blockAttributeKinds.contains(kind) }

    /// The first block attribute of `kind`.
    func blockAttribute(_ kind: AttributeKind) -> Attribute? {
        guard has(kind) else { return nil }
        return contents.value.blockAttributes.firstInPlace { $0.is(kind) }
    }

    /// The block attributes of `kind`.
    func blockAttributes(_ kind: AttributeKind) -> [Attribute] {
        guard has(kind) else { return [] }
        return contents.value.blockAttributes.filterInPlace { $0.is(kind) }
    }
}
