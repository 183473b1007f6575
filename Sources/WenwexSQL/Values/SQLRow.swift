/// One result row: column names and their values, in select-list order.
public struct SQLRow: Sendable, Hashable {
    /// Column names as the statement labels them; a name may repeat (`SELECT a.id, b.id`).
    public var columns: [String]
    /// One value per column, in the order of ``columns``.
    public var values: [SQLValue]

    /// Creates a row; `values` holds one entry per column.
    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value at the 0-based position `index` of the select list; traps when it is out of range.
    public subscript(index: Int) -> SQLValue {
        values[index]
    }

    /// The value of the first column called `name`, or `.null` when there is none.
    public subscript(name: String) -> SQLValue {
        columns.firstIndex(of: name).map { values[$0] } ?? .null
    }
}
