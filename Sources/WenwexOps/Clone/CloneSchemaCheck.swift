public import WenwexSQL

/// `wenwex db clone --check`: the same refusals a clone makes, decided from `schema.prisma`
/// alone, so CI can fail a pull request that adds a personal-data column without a rule long
/// before anyone clones production.
public struct CloneSchemaCheck: Sendable {
    /// `Table.column (why it looks personal)` for every column that needs a rule and has none.
    public var unsanitized: [String]
    /// Rules that name a table or column the schema does not have (usually a typo or a rename).
    public var unknown: [String]
    /// How many columns have a rule written for them.
    public var ruledColumns: Int

    public var passed: Bool { unsanitized.isEmpty && unknown.isEmpty }

    /// Checks `schema` (lowered for PostgreSQL) against `rules`.
    public init(schema: SQLSchema, rules: [String: [String: SanitizeRule]]) {
        var unsanitized: [String] = []
        var unknown: [String] = []
        var ruled = 0
        let tables = Dictionary(schema.tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for name in rules.keys.sorted() {
            guard let table = tables[name] else {
                unknown.append("the sanitize rules name table '\(name)', which the schema does not have")
                continue
            }
            let columns = Set(table.columns.map(\.name))
            for column in (rules[name] ?? [:]).keys.sorted() where !columns.contains(column) {
                unknown.append("the sanitize rules name column '\(name).\(column)', which the schema does not have")
            }
        }
        for table in schema.tables {
            for column in table.columns {
                if rules[table.name]?[column.name] != nil {
                    ruled += 1
                } else if let reason = PersonalData.reason(column) {
                    unsanitized.append("\(table.name).\(column.name) (\(reason))")
                }
            }
        }
        self.unsanitized = unsanitized
        self.unknown = unknown
        self.ruledColumns = ruled
    }
}
