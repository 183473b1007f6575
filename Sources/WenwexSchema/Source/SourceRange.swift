/// A point in a schema file: 1-based line and column (in Unicode scalars), plus the scalar
/// offset from the start of the file.
///
/// Diagnostics name `file:line:column` so editors jump straight to the problem.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    // Stored in 32 bits: every token and syntax node carries two locations, and at 12 bytes
    // instead of 24 a large schema's tree is a good deal smaller and faster to build and copy.
    private var storedLine: UInt32
    private var storedColumn: UInt32
    private var storedOffset: UInt32

    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = UInt32(clamping: newValue) }
    }
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = UInt32(clamping: newValue) }
    }
    public var offset: Int {
        get { Int(storedOffset) }
        set { storedOffset = UInt32(clamping: newValue) }
    }

    public init(line: Int, column: Int, offset: Int) {
        storedLine = UInt32(clamping: line)
        storedColumn = UInt32(clamping: column)
        storedOffset = UInt32(clamping: offset)
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.offset < rhs.offset
    }

    public var description: String { "\(line):\(column)" }
}

/// The span of a piece of syntax in one file; `end` is exclusive.
///
/// Every node of the syntax tree carries one so each rule can point at exactly what is wrong.
/// The file is kept as a number (`SourceFileName`): a large schema's tree holds hundreds of
/// thousands of ranges, and a path string in each made the tree a good deal bigger, and slower
/// to build, walk and free, than the 28 bytes a range takes this way.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    private var fileName: SourceFileName
    public var start: SourceLocation
    public var end: SourceLocation

    /// The path of the file, as diagnostics name it.
    public var file: String {
        get { fileName.path }
        set { fileName = SourceFileName(newValue) }
    }

    public init(file: String, start: SourceLocation, end: SourceLocation) {
        self.init(fileName: SourceFileName(file), start: start, end: end)
    }

    /// A range in a file already named (the parser names its file once, not once per token).
    init(fileName: SourceFileName, start: SourceLocation, end: SourceLocation) {
        self.fileName = fileName
        self.start = start
        self.end = end
    }

    /// The range from the start of `self` to the end of `other` (same file).
    public func through(_ other: SourceRange) -> SourceRange {
        SourceRange(fileName: fileName, start: start, end: max(end, other.end))
    }

    /// The number of columns to underline on the start line (at least one).
    public var caretLength: Int {
        end.line == start.line ? max(1, end.column - start.column) : 1
    }

    public var description: String { "\(file):\(start.line):\(start.column)" }
}
