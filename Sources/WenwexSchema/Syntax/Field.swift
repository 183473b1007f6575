import Foundation

/// The type of a field as written: `String`, `Post[]`, `Role?`, `Unsupported("circle")`.
public struct FieldType: Sendable, Hashable, CustomStringConvertible {
    public enum Arity: Sendable, Hashable {
        case required
        case optional
        case list
    }

    /// The type's name; `Unsupported` for `Unsupported("…")`.
    public var name: String {
        didSet { scalar = ScalarType(name: name) }
    }
    /// The database type of `Unsupported("…")`, else `nil`.
    public var unsupported: String?
    public var arity: Arity
    /// The name only (without `?`/`[]`), where unknown-type errors point.
    public var nameRange: SourceRange
    public var range: SourceRange
    /// The built-in scalar type `name` names, worked out once: validation and lowering resolve
    /// every field's type several times, and most fields are scalars.
    private(set) var scalar: ScalarType?

    public init(name: String, unsupported: String? = nil, arity: Arity, nameRange: SourceRange, range: SourceRange) {
        scalar = ScalarType(name: name)
        self.name = name
        self.unsupported = unsupported
        self.arity = arity
        self.nameRange = nameRange
        self.range = range
    }

    public var isList: Bool { arity == .list }
    public var isOptional: Bool { arity == .optional }

    public var description: String {
        var text = name
        if let unsupported {
            // The database type is a decoded string: escape it again so it reads back the same.
            let escaped = unsupported.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"")
            text = "Unsupported(\"\(escaped)\")"
        }
        switch arity {
        case .required: return text
        case .optional: return text + "?"
        case .list: return text + "[]"
        }
    }
}

/// A field of a model, view or composite type.
public struct Field: Sendable, Hashable {
    struct Contents: Sendable, Hashable {
        var name: Identifier
        var type: FieldType
        var attributes: [Attribute] {
            didSet { attributeKinds = AttributeKinds(attributes) }
        }
        var documentation: [String]
        var trailingComment: Comment?
        var range: SourceRange
        /// The kinds of `attributes`, so asking a field for an attribute it does not have
        /// (the usual answer) looks at no attribute.
        private(set) var attributeKinds: AttributeKinds

        init(
            name: Identifier,
            type: FieldType,
            attributes: [Attribute],
            documentation: [String],
            trailingComment: Comment?,
            range: SourceRange
        ) {
            self.name = name
            self.type = type
            self.attributes = attributes
            self.documentation = documentation
            self.trailingComment = trailingComment
            self.range = range
            attributeKinds = AttributeKinds(attributes)
        }
    }

    private var contents: CopyOnWrite<Contents>

    public var name: Identifier {
        get { contents.value.name }
        set { contents.value.name = newValue }
    }
    public var type: FieldType {
        get { contents.value.type }
        set { contents.value.type = newValue }
    }
    public var attributes: [Attribute] {
        get { contents.value.attributes }
        set { contents.value.attributes = newValue }
    }
    /// The `///` lines before the field, without the slashes.
    public var documentation: [String] {
        get { contents.value.documentation }
        set { contents.value.documentation = newValue }
    }
    /// A `//` comment after the field on the same line.
    public var trailingComment: Comment? {
        get { contents.value.trailingComment }
        set { contents.value.trailingComment = newValue }
    }
    public var range: SourceRange {
        get { contents.value.range }
        set { contents.value.range = newValue }
    }

    public init(
        name: Identifier,
        type: FieldType,
        attributes: [Attribute],
        documentation: [String] = [],
        trailingComment: Comment? = nil,
        range: SourceRange
    ) {
        contents = CopyOnWrite(
            Contents(
                name: name,
                type: type,
                attributes: attributes,
                documentation: documentation,
                trailingComment: trailingComment,
                range: range
            )
        )
    }

    /// The attributes named `name` (without `@`).
    public func attributes(named name: String) -> [Attribute] {
        if let kind = AttributeKind(name: name) { return attributes(kind) }
        return contents.value.attributes.filterInPlace { $0.name == name }
    }

    /// The first attribute named `name` (without `@`).
    public func attribute(_ name: String) -> Attribute? {
        if let kind = AttributeKind(name: name) { return attribute(kind) }
        return contents.value.attributes.firstInPlace { $0.name == name }
    }

    /// The kinds of its attributes (and whether one has a dotted name).
    var attributeKinds: AttributeKinds { contents.value.attributeKinds }

    /// Whether it carries the attribute `kind`.
    func has(_ kind: AttributeKind) -> Bool { contents.value.attributeKinds.contains(kind) }

    /// The first attribute of `kind`.
    func attribute(_ kind: AttributeKind) -> Attribute? {
        guard has(kind) else { return nil }
        return contents.value.attributes.firstInPlace { $0.is(kind) }
    }

    /// The attributes of `kind`.
    func attributes(_ kind: AttributeKind) -> [Attribute] {
        guard has(kind) else { return [] }
        return contents.value.attributes.filterInPlace { $0.is(kind) }
    }
}

/// A value of an enum, with its attributes (`@map`).
public struct EnumValue: Sendable, Hashable {
    public var name: Identifier
    public var attributes: [Attribute]
    public var documentation: [String]
    public var trailingComment: Comment?
    public var range: SourceRange

    public init(
        name: Identifier,
        attributes: [Attribute],
        documentation: [String] = [],
        trailingComment: Comment? = nil,
        range: SourceRange
    ) {
        self.name = name
        self.attributes = attributes
        self.documentation = documentation
        self.trailingComment = trailingComment
        self.range = range
    }
}

/// A `key = value` line of a `datasource` or `generator` block.
public struct ConfigProperty: Sendable, Hashable {
    public var name: Identifier
    public var value: Expression
    public var documentation: [String]
    public var trailingComment: Comment?
    public var range: SourceRange

    public init(
        name: Identifier,
        value: Expression,
        documentation: [String] = [],
        trailingComment: Comment? = nil,
        range: SourceRange
    ) {
        self.name = name
        self.value = value
        self.documentation = documentation
        self.trailingComment = trailingComment
        self.range = range
    }
}
