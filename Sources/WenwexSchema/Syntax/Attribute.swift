/// A field attribute (`@unique`, `@db.VarChar(255)`) or block attribute (`@@index([title])`).
public struct Attribute: Sendable, Hashable, CustomStringConvertible {
    struct Contents: Sendable, Hashable {
        var name: String {
            didSet { kinds = Self.kinds(of: name) }
        }
        var nameRange: SourceRange
        var isBlockAttribute: Bool
        var arguments: [Argument]?
        var range: SourceRange
        /// What `name` is, worked out once (see `AttributeKind`).
        private(set) var kinds: AttributeKinds

        init(name: String, nameRange: SourceRange, isBlockAttribute: Bool, arguments: [Argument]?, range: SourceRange) {
            self.name = name
            self.nameRange = nameRange
            self.isBlockAttribute = isBlockAttribute
            self.arguments = arguments
            self.range = range
            kinds = Self.kinds(of: name)
        }

        private static func kinds(of name: String) -> AttributeKinds {
            if let kind = AttributeKind(name: name) { return kind.bit }
            return name.utf8.contains(UInt8(ascii: ".")) ? .dotted : []
        }
    }

    // Stored in place, not boxed like fields and blocks: an attribute is small (a name, two
    // ranges, its arguments), and a box per attribute was a quarter of the syntax tree's
    // allocations, each one more pointer to follow when a rule looks at a field's attributes.
    private var contents: Contents

    /// The name without `@`/`@@`, dotted for native types: `id`, `db.VarChar`.
    public var name: String {
        get { contents.name }
        set { contents.name = newValue }
    }
    public var nameRange: SourceRange {
        get { contents.nameRange }
        set { contents.nameRange = newValue }
    }
    public var isBlockAttribute: Bool {
        get { contents.isBlockAttribute }
        set { contents.isBlockAttribute = newValue }
    }
    /// `nil` when written without parentheses (`@id`), empty for `@id()`.
    public var arguments: [Argument]? {
        get { contents.arguments }
        set { contents.arguments = newValue }
    }
    /// From the `@` to the closing parenthesis.
    public var range: SourceRange {
        get { contents.range }
        set { contents.range = newValue }
    }

    /// Its kind as a set, and whether its name is dotted.
    var kinds: AttributeKinds { contents.kinds }

    /// Whether it is the attribute `kind`.
    func `is`(_ kind: AttributeKind) -> Bool { contents.kinds.contains(kind) }

    public init(
        name: String,
        nameRange: SourceRange,
        isBlockAttribute: Bool,
        arguments: [Argument]?,
        range: SourceRange
    ) {
        contents = Contents(
            name: name,
            nameRange: nameRange,
            isBlockAttribute: isBlockAttribute,
            arguments: arguments,
            range: range
        )
    }

    /// The argument named `name`, or, when `position` is given, the unnamed argument at it.
    public func argument(_ name: String, position: Int? = nil) -> Argument? {
        guard let all = arguments else { return nil }
        // One pass: every rule asks for arguments, mostly `argument("name", position: 0)`.
        return all.withUnsafeBufferPointer { buffer in
            var unnamed = 0
            var positional: Int?
            for index in buffer.indices {
                if let argumentName = buffer[index].name {
                    if argumentName.name == name { return buffer[index] }
                } else {
                    if unnamed == position, positional == nil { positional = index }
                    unnamed += 1
                }
            }
            return positional.map { buffer[$0] }
        }
    }

    /// The spelling with `@`/`@@`, as used in messages: `"@relation"`.
    public var displayName: String { (isBlockAttribute ? "@@" : "@") + name }

    public var description: String {
        guard let arguments else { return displayName }
        return "\(displayName)(\(arguments.map(\.description).joined(separator: ", ")))"
    }
}

extension String {
    /// Whether this attribute name is a native type of the datasource named `prefix`
    /// (`db.VarChar` for `db`), without building `prefix + "."` for every attribute checked.
    func isNativeType(prefix: String) -> Bool {
        hasPrefix(prefix) && utf8.dropFirst(prefix.utf8.count).first == UInt8(ascii: ".")
    }
}
