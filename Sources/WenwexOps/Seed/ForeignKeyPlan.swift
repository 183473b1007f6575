import WenwexSQL

/// How one foreign key of a table gets its values.
struct ForeignKeyPlan {
    enum Mode {
        /// A random parent row for each child (NULL sometimes when optional).
        case random
        /// One child per parent at most (a unique index covers the key): parents in a shuffled
        /// order, each used once.
        case oneToOne
        /// To the table itself, optional: NULL on insert, then pointed at an earlier row.
        case selfLater
        /// To the table itself, required, with keys the seeder makes: an earlier row, or the
        /// row itself for the first one.
        case selfInline
        /// Left NULL to break a cycle between tables.
        case null
    }

    let foreignKey: SQLForeignKey
    /// Positions of the foreign key's columns among the inserted columns.
    let positions: [Int]
    let isOptional: Bool
    let mode: Mode
    /// The parent table's key (`TableOrder.key`).
    let parent: String
}
