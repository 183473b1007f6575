/// One result row: column names and their values, in select-list order.
public struct SQLRow: Sendable, Hashable {
    public var columns: [String]
    public var values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(index: Int) -> SQLValue {
        values[index]
    }

    /// The value of the first column called `name`, or `.null` when there is none.
    public subscript(name: String) -> SQLValue {
        columns.firstIndex(of: name).map { values[$0] } ?? .null
    }
}
