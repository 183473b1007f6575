/// One `NAME=value` assignment read from a dotenv file.
public struct DotenvEntry: Sendable, Hashable {
    public var name: String
    public var value: DotenvValue
    /// The 1-based line the assignment starts on (a quoted value may continue on later lines).
    public var line: Int
    public var column: Int

    public init(name: String, value: DotenvValue, line: Int, column: Int) {
        self.name = name
        self.value = value
        self.line = line
        self.column = column
    }
}
