/// A table's primary key.
public struct SQLPrimaryKey: Sendable, Hashable, Codable {
    /// The constraint name (`User_pkey`); `nil` on SQLite, which does not keep one.
    public var name: String?
    /// In key order.
    public var columns: [String]

    /// Creates a primary key; pass `nil` for `name` on SQLite.
    public init(name: String?, columns: [String]) {
        self.name = name
        self.columns = columns
    }
}

/// A uniqueness rule over some columns, in key order (`User_email_key`).
///
/// Prisma creates `@unique` and `@@unique` as unique indexes, so this is what a unique index
/// with ascending columns introspects as.
public struct SQLUnique: Sendable, Hashable, Codable {
    /// The unique index's name (`User_email_key`).
    public var name: String
    /// The columns, in key order.
    public var columns: [String]

    /// Creates a uniqueness rule.
    public init(name: String, columns: [String]) {
        self.name = name
        self.columns = columns
    }
}
