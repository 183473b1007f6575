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

    private var contents: CopyOnWrite<Contents>

    /// The name without `@`/`@@`, dotted for native types: `id`, `db.VarChar`.
    public var name: String {
        get { contents.value.name }
        set { contents.value.name = newValue }
    }
    public var nameRange: SourceRange {
        get { contents.value.nameRange }
        set { contents.value.nameRange = newValue }
    }
    public var isBlockAttribute: Bool {
        get { contents.value.isBlockAttribute }
        set { contents.value.isBlockAttribute = newValue }
    }
    /// `nil` when written without parentheses (`@id`), empty for `@id()`.
    public var arguments: [Argument]? {
        get { contents.value.arguments }
        set { contents.value.arguments = newValue }
    }
    /// From the `@` to the closing parenthesis.
    public var range: SourceRange {
        get { contents.value.range }
        set { contents.value.range = newValue }
    }

    /// The attribute's kind, when it is one the rules look for.
    var kind: AttributeKind? {
        let raw = contents.value.kinds.rawValue & ~AttributeKinds.dotted.rawValue
        return raw == 0 ? nil : AttributeKind(rawValue: UInt8(raw.trailingZeroBitCount))
    }

    /// Its kind as a set, and whether its name is dotted.
    var kinds: AttributeKinds { contents.value.kinds }

    /// Whether it is the attribute `kind`.
    func `is`(_ kind: AttributeKind) -> Bool { contents.value.kinds.contains(kind) }

    public init(
        name: String,
        nameRange: SourceRange,
        isBlockAttribute: Bool,
        arguments: [Argument]?,
        range: SourceRange
    ) {
        contents = CopyOnWrite(
            Contents(
                name: name,
                nameRange: nameRange,
                isBlockAttribute: isBlockAttribute,
                arguments: arguments,
                range: range
            )
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
