/// An index (`Post_title_idx`): its columns with their sort order, and its access method.
public struct SQLIndex: Sendable, Hashable, Codable {
    /// One column of an index and the direction it is sorted in.
    public struct Column: Sendable, Hashable, Codable {
        /// The indexed column's name.
        public var name: String
        /// `ASC` unless the index says `DESC`.
        public var sort: SortOrder
        /// PostgreSQL's operator class (`gin_trgm_ops`) when it is not the default one for the
        /// column's type and the index's method; `nil` otherwise, so a default operator class
        /// compares equal however it was declared. A GIN index on text cannot exist without it.
        public var operatorClass: String?

        /// Creates an index column: ascending, with the default operator class, unless told otherwise.
        public init(_ name: String, sort: SortOrder = .ascending, operatorClass: String? = nil) {
            self.name = name
            self.sort = sort
            self.operatorClass = operatorClass
        }
    }

    /// A key column's direction; the raw value is the SQL keyword.
    public enum SortOrder: String, Sendable, Hashable, Codable {
        case ascending = "ASC"
        case descending = "DESC"
    }

    /// The index's name, unique within its schema (`Post_title_idx`).
    public var name: String
    /// In key order.
    public var columns: [Column]
    /// Whether the index enforces uniqueness. Introspection makes a plain unique index a ``SQLUnique``
    /// instead, so here it marks one with a sort order, operator class or access method.
    public var isUnique: Bool
    /// PostgreSQL's access method in lower case as `pg_am` names it (`gin`, `hash`); `nil` for
    /// the default B-tree, so a B-tree index compares equal however it was declared.
    public var method: String?
    /// A partial index's condition (`WHERE …`); `nil` for an index over every row.
    public var predicate: SQLIndexPredicate?

    /// Creates an index: a non-unique B-tree over every row unless told otherwise.
    public init(
        name: String,
        columns: [Column],
        isUnique: Bool = false,
        method: String? = nil,
        predicate: SQLIndexPredicate? = nil
    ) {
        self.name = name
        self.columns = columns
        self.isUnique = isUnique
        self.method = method
        self.predicate = predicate
    }

    /// The same index under another name: an index that differs only so is renamed, not rebuilt.
    public func renamed(_ name: String) -> SQLIndex {
        var copy = self
        copy.name = name
        return copy
    }
}
