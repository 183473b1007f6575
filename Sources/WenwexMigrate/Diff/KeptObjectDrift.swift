public import WenwexSQL

/// How a database's hand-made objects (`SQLSchema.kept`, extensions) differ from what the
/// migration history made: the only drift such objects can have, since `schema.prisma` says
/// nothing about them. An object both sides have with the same definition is no drift.
public enum KeptObjectDrift {
    /// One sentence per difference, database relative to history.
    public static func differences(history: SQLSchema, database: SQLSchema) -> [String] {
        var lines: [String] = []
        let made = Dictionary(history.kept.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        let found = Dictionary(database.kept.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        for object in database.kept {
            guard let original = made[key(object)] else {
                lines.append("the database has \(object), which no migration made")
                continue
            }
            if original.definition != object.definition {
                lines.append("\(object) differs from what the migrations made")
            }
        }
        for object in history.kept where found[key(object)] == nil {
            lines.append("the database lacks \(object), which the migrations made")
        }
        let madeExtensions = Set(history.extensions.map(\.name))
        let foundExtensions = Set(database.extensions.map(\.name))
        for name in foundExtensions.subtracting(madeExtensions).sorted() {
            lines.append("the database has extension \"\(name)\", which no migration made")
        }
        for name in madeExtensions.subtracting(foundExtensions).sorted() {
            lines.append("the database lacks extension \"\(name)\", which the migrations made")
        }
        return lines
    }

    private static func key(_ object: SQLKeptObject) -> String {
        "\(object.kind.rawValue)|\(object.schema ?? "")|\(object.table ?? "")|\(object.name)"
    }
}
