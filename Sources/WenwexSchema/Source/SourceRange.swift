/// A point in a schema file: 1-based line and column (in Unicode scalars), plus the scalar
/// offset from the start of the file.
///
/// Diagnostics name `file:line:column` so editors jump straight to the problem.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.offset < rhs.offset
    }

    public var description: String { "\(line):\(column)" }
}

/// The span of a piece of syntax in one file; `end` is exclusive.
///
/// Every node of the syntax tree carries one so each rule can point at exactly what is wrong.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var start: SourceLocation
    public var end: SourceLocation

    public init(file: String, start: SourceLocation, end: SourceLocation) {
        self.file = file
        self.start = start
        self.end = end
    }

    /// The range from the start of `self` to the end of `other` (same file).
    public func through(_ other: SourceRange) -> SourceRange {
        SourceRange(file: file, start: start, end: max(end, other.end))
    }

    /// The number of columns to underline on the start line (at least one).
    public var caretLength: Int {
        end.line == start.line ? max(1, end.column - start.column) : 1
    }

    public var description: String { "\(file):\(start.line):\(start.column)" }
}
