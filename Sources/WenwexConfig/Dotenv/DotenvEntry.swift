/// One `NAME=value` assignment read from a dotenv file.
public struct DotenvEntry: Sendable, Hashable {
    /// The variable's name (after an optional `export `), case-sensitive.
    public var name: String
    /// The value, with its `${…}` references not yet expanded.
    public var value: DotenvValue
    /// The 1-based line the assignment starts on (a quoted value may continue on later lines).
    public var line: Int
    /// The 1-based column of the name's first character, counted in Unicode scalars.
    public var column: Int

    /// Creates an entry, as the parser does for each assignment it keeps.
    public init(name: String, value: DotenvValue, line: Int, column: Int) {
        self.name = name
        self.value = value
        self.line = line
        self.column = column
    }
}
