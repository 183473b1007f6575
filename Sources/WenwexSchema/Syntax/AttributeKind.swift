/// The attribute names the rules and the lowering look for, recognised once when an attribute
/// is made.
///
/// Every rule asks every field for `@id`, `@default`, `@relation`, `@ignore`, …; comparing
/// names as strings for each question, of every attribute of every field, was a large share of
/// validating and lowering a big schema. An attribute knows its kind, and a field or block
/// keeps the set of kinds it carries, so most questions are answered by one bit test.
enum AttributeKind: UInt8, CaseIterable {
    case id
    case `default`
    case unique
    case updatedAt
    case map
    case relation
    case ignore
    case index
    case schema

    /// The kind of an attribute named `name` (without `@`), if it is one of these.
    init?(name: String) {
        switch name.utf8.count {
        case 2 where name == "id": self = .id
        case 3 where name == "map": self = .map
        case 5 where name == "index": self = .index
        case 6:
            if name == "unique" {
                self = .unique
            } else if name == "ignore" {
                self = .ignore
            } else if name == "schema" {
                self = .schema
            } else {
                return nil
            }
        case 7 where name == "default": self = .default
        case 8 where name == "relation": self = .relation
        case 9 where name == "updatedAt": self = .updatedAt
        default: return nil
        }
    }

    /// The attribute's name, without `@`.
    var name: String {
        switch self {
        case .id: "id"
        case .default: "default"
        case .unique: "unique"
        case .updatedAt: "updatedAt"
        case .map: "map"
        case .relation: "relation"
        case .ignore: "ignore"
        case .index: "index"
        case .schema: "schema"
        }
    }

    var bit: AttributeKinds { AttributeKinds(rawValue: 1 << rawValue) }
}

/// A set of attribute kinds, plus whether any attribute has a dotted name (`@db.VarChar`).
struct AttributeKinds: OptionSet, Hashable, Sendable {
    let rawValue: UInt16

    /// An attribute with a dotted name: a native type, or a mistake the rules report.
    static let dotted = AttributeKinds(rawValue: 1 << 15)

    /// The kinds of `attributes`.
    init(_ attributes: [Attribute]) {
        var raw: UInt16 = 0
        for attribute in attributes { raw |= attribute.kinds.rawValue }
        self.init(rawValue: raw)
    }

    init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// The set of `kinds`.
    static func of(_ kinds: AttributeKind...) -> AttributeKinds {
        AttributeKinds(rawValue: kinds.reduce(0) { $0 | $1.bit.rawValue })
    }

    func contains(_ kind: AttributeKind) -> Bool { rawValue & kind.bit.rawValue != 0 }
}
