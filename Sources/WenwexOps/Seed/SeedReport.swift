/// What a seed run wrote: rows per table, in the order the tables were filled.
public struct SeedReport: Sendable, Hashable {
    public struct Table: Sendable, Hashable {
        public var name: String
        public var schema: String?
        public var rows: Int

        public init(name: String, schema: String?, rows: Int) {
            self.name = name
            self.schema = schema
            self.rows = rows
        }
    }

    /// In insertion (foreign-key dependency) order.
    public var tables: [Table]
    /// The seed the rows came from, so a run can be repeated.
    public var seed: UInt64

    public init(tables: [Table], seed: UInt64) {
        self.tables = tables
        self.seed = seed
    }

    /// Rows written to `table`, or `nil` when the schema has no such table.
    public func rows(in table: String) -> Int? {
        tables.first { $0.name == table }?.rows
    }

    public var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }
}
