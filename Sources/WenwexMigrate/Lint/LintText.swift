import WenwexSQL

/// How findings spell names and counts, so every message reads the same way.
enum LintText {
    /// `"users"`, or `"shop"."users"` in another schema.
    static func table(_ table: TableName) -> String {
        table.schema.map { "\"\($0)\".\"\(table.name)\"" } ?? "\"\(table.name)\""
    }

    /// `"users"."email"`.
    static func column(_ column: String, of table: TableName) -> String {
        self.table(table) + ".\"\(column)\""
    }

    /// `1 row`, `3 rows`.
    static func count(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// Said when a fact needed a database the linter was not given.
    static let noDatabase = "the linter had no database to check"
}
