/// An index (`Post_title_idx`): its columns with their sort order, and its access method.
public struct SQLIndex: Sendable, Hashable, Codable {
    /// One column of an index and the direction it is sorted in.
    public struct Column: Sendable, Hashable, Codable {
        public var name: String
        public var sort: SortOrder
        /// PostgreSQL's operator class (`gin_trgm_ops`) when it is not the default one for the
        /// column's type and the index's method; `nil` otherwise, so a default operator class
        /// compares equal however it was declared. A GIN index on text cannot exist without it.
        public var operatorClass: String?

        public init(_ name: String, sort: SortOrder = .ascending, operatorClass: String? = nil) {
            self.name = name
            self.sort = sort
            self.operatorClass = operatorClass
        }
    }

    public enum SortOrder: String, Sendable, Hashable, Codable {
        case ascending = "ASC"
        case descending = "DESC"
    }

    public var name: String
    /// In key order.
    public var columns: [Column]
    public var isUnique: Bool
    /// PostgreSQL's access method in lower case as `pg_am` names it (`gin`, `hash`); `nil` for
    /// the default B-tree, so a B-tree index compares equal however it was declared.
    public var method: String?

    public init(name: String, columns: [Column], isUnique: Bool = false, method: String? = nil) {
        self.name = name
        self.columns = columns
        self.isUnique = isUnique
        self.method = method
    }

    /// The same index under another name: an index that differs only so is renamed, not rebuilt.
    public func renamed(_ name: String) -> SQLIndex {
        var copy = self
        copy.name = name
        return copy
    }
}
