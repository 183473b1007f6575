import WenwexSQL

/// Rows a table got, as the database returned them: the columns later foreign keys point at.
struct ParentRows {
    var columns: [String]
    var rows: [[SQLValue]]

    /// The values of `wanted` in row `index`.
    func values(_ index: Int, _ wanted: [String]) -> [SQLValue] {
        wanted.map { name in columns.firstIndex(of: name).map { rows[index][$0] } ?? .null }
    }
}

/// The text that identifies a tuple of values for uniqueness; `nil` when one is NULL, since
/// NULLs never collide in a unique index. Lower-cased: PostgreSQL hands UUIDs back in upper
/// case, and treating `A` and `a` as the same only costs a retry.
func uniqueKey(_ values: [SQLValue]) -> [String]? {
    var key: [String] = []
    key.reserveCapacity(values.count)
    for value in values {
        switch value {
        case .null: return nil
        case .bytes(let bytes): key.append(bytes.map { String($0) }.joined(separator: ","))
        default: key.append((value.text ?? "").lowercased())
        }
    }
    return key
}
