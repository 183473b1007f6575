/// A value kept behind one reference and copied only when it is changed while shared.
///
/// The syntax tree's nodes are large (a field with its type, ranges and attributes is hundreds
/// of bytes and a dozen references); every rule and the lowering pass them around and iterate
/// over them, and copying them whole was most of the time spent on a large schema. Behind this
/// box a copy is one reference, and the nodes keep value semantics (a change replaces the box).
struct CopyOnWrite<Value: Hashable & Sendable>: Hashable, Sendable {
    /// Immutable, so reading needs no exclusivity check; a change makes a new box. Nodes are
    /// built once by the parser and then only read.
    private final class Box: Sendable {
        let value: Value

        init(_ value: Value) {
            self.value = value
        }
    }

    private var box: Box

    init(_ value: Value) {
        box = Box(value)
    }

    var value: Value {
        _read { yield box.value }
        _modify {
            var value = box.value
            yield &value
            box = Box(value)
        }
    }

    /// The box: two values with the same identity are one node of the tree.
    var identity: ObjectIdentifier { ObjectIdentifier(box) }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.box === rhs.box || lhs.box.value == rhs.box.value
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(box.value)
    }
}
