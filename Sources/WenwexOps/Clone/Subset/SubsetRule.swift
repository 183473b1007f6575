/// Where a subset starts: `--subset "User:10%"` or `--subset "Order:created_at > now() - interval '30 days'"`.
public struct SubsetRule: Sendable, Hashable, CustomStringConvertible {
    public enum Selection: Sendable, Hashable {
        /// A share of the table's rows, chosen by a hash of the primary key: the same rows in
        /// every clone of the same data, unlike `TABLESAMPLE` or `random()`.
        case percent(Double)
        /// A SQL condition over the table's columns, evaluated by the source database.
        case condition(String)
    }

    public var table: String
    public var selection: Selection

    public init(table: String, selection: Selection) {
        self.table = table
        self.selection = selection
    }

    /// Parses `Table:10%`, `Table:0.5%` or `Table:<SQL condition>`.
    public init(parsing text: String) throws(CloneError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw .badSubset(text, "write <table>:<percent>% or <table>:<SQL condition>")
        }
        let table = text[..<colon].trimmingCharacters(in: .whitespaces)
        let rest = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !table.isEmpty, !rest.isEmpty else {
            throw .badSubset(text, "both the table and what to keep of it are needed")
        }
        self.table = table
        if rest.hasSuffix("%"), let percent = Double(rest.dropLast().trimmingCharacters(in: .whitespaces)) {
            guard percent > 0, percent <= 100 else {
                throw .badSubset(text, "the percentage must be above 0 and at most 100")
            }
            selection = .percent(percent)
        } else {
            selection = .condition(rest)
        }
    }

    public var description: String {
        switch selection {
        case .percent(let percent): "\(table):\(percent == percent.rounded() ? String(Int(percent)) : String(percent))%"
        case .condition(let condition): "\(table):\(condition)"
        }
    }
}
