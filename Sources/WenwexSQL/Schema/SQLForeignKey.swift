/// A foreign key (`Post_authorId_fkey`) and what happens to rows when the referenced row
/// changes or goes away.
public struct SQLForeignKey: Sendable, Hashable, Codable {
    /// The constraint's name (`Post_authorId_fkey`); on SQLite taken from the `CREATE TABLE` text, or
    /// Prisma's `{table}_{columns}_fkey` when the key is unnamed.
    public var name: String
    /// The referencing columns, in the order matching `referencedColumns`.
    public var columns: [String]
    /// The table the key points at.
    public var referencedTable: String
    /// The referenced table's schema with multi-schema setups.
    public var referencedSchema: String?
    /// The referenced columns, matching ``columns`` one for one.
    public var referencedColumns: [String]
    /// What happens to referencing rows when the referenced row is deleted.
    public var onDelete: SQLReferentialAction
    /// What happens to referencing rows when the referenced key changes.
    public var onUpdate: SQLReferentialAction

    /// Creates a foreign key; give `referencedSchema` only in a multi-schema setup.
    public init(
        name: String,
        columns: [String],
        referencedTable: String,
        referencedSchema: String? = nil,
        referencedColumns: [String],
        onDelete: SQLReferentialAction,
        onUpdate: SQLReferentialAction
    ) {
        self.name = name
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedSchema = referencedSchema
        self.referencedColumns = referencedColumns
        self.onDelete = onDelete
        self.onUpdate = onUpdate
    }

    /// The same key under another name: a key that differs only so is renamed, not re-created.
    public func renamed(_ name: String) -> SQLForeignKey {
        var copy = self
        copy.name = name
        return copy
    }
}

/// `ON DELETE` / `ON UPDATE` actions, spelled as in Prisma's schema (`SetNull`).
public enum SQLReferentialAction: String, Sendable, Hashable, Codable, CaseIterable {
    case cascade = "Cascade"
    /// Refuses the change at once, even in a deferred constraint (`RESTRICT`).
    case restrict = "Restrict"
    /// Refuses the change when referencing rows remain at the time of the check (`NO ACTION`, the SQL
    /// default); a deferred constraint checks at commit.
    case noAction = "NoAction"
    case setNull = "SetNull"
    case setDefault = "SetDefault"

    /// The SQL words: `CASCADE`, `RESTRICT`, `NO ACTION`, `SET NULL`, `SET DEFAULT`.
    public var sql: String {
        switch self {
        case .cascade: "CASCADE"
        case .restrict: "RESTRICT"
        case .noAction: "NO ACTION"
        case .setNull: "SET NULL"
        case .setDefault: "SET DEFAULT"
        }
    }
}
