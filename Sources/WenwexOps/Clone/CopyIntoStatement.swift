/// The `COPY … FROM STDIN` a clone runs on the target, in `COPY`'s text or binary format.
///
/// PostgresNIO 1.33's `copyFrom(table:columns:format:)` builds
/// `COPY "<table>"("<column>", …) FROM STDIN WITH (FORMAT text)` and offers neither the binary
/// format nor `FREEZE`, nor a schema. It documents that the table name goes in as given,
/// between its double quotes. ``tableArgument(schema:table:columns:format:freeze:)`` is that
/// argument: it closes PostgresNIO's quote, names the schema and columns (quoted here, so any
/// name works), sets the options, and ends in a line comment that swallows what PostgresNIO
/// appends. `DatabaseClonerTests` copy through it in both formats, so a PostgresNIO that builds
/// the statement differently fails there, not in a user's clone.
enum CopyIntoStatement {
    enum Format: Sendable {
        case text
        case binary
    }

    /// The `table:` argument for `copyFrom`, with `columns: []`.
    ///
    /// `freeze` writes the rows already frozen (`COPY … FREEZE`): allowed because the clone
    /// truncated the table in the same transaction, and it spares the target the first
    /// vacuum's rewrite of every page. PostgreSQL refuses it for partitioned tables.
    static func tableArgument(schema: String, table: String, columns: [String], format: Format, freeze: Bool) -> String
    {
        let quote = { (name: String) in "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var options = [format == .binary ? "FORMAT binary" : "FORMAT text"]
        if freeze { options.append("FREEZE") }
        let columnList = columns.isEmpty ? "" : " (" + columns.map(quote).joined(separator: ", ") + ")"
        return schema.replacingOccurrences(of: "\"", with: "\"\"") + "\"." + quote(table) + columnList
            + " FROM STDIN WITH (" + options.joined(separator: ", ") + ") --"
    }
}
