/// Where a configuration value came from, so every message can send the reader to the right place.
public enum ValueSource: Sendable, Hashable, CustomStringConvertible {
    /// The process environment (highest precedence).
    case processEnvironment
    /// A dotenv file, with the line the assignment starts on.
    case dotenv(path: String, line: Int)
    /// `[environments.<name>.values]` in the project file.
    case projectFile(path: String, environment: String)
    /// The `default` of the variable's schema entry.
    case schemaDefault
    /// A value Wenwex supplies itself (the dev SQLite database).
    case builtInDefault
    /// A command-line option.
    case commandLine

    /// How messages name the source: `process environment`, `.env.local:3`,
    /// `wenwex.toml [environments.prod.values]`, `schema default`, ….
    public var description: String {
        switch self {
        case .processEnvironment: "process environment"
        case .dotenv(let path, let line): "\(path):\(line)"
        case .projectFile(let path, let environment): "\(path) [environments.\(environment).values]"
        case .schemaDefault: "schema default"
        case .builtInDefault: "built-in default"
        case .commandLine: "command line"
        }
    }
}
