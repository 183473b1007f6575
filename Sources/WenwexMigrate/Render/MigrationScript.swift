/// One commented step of a migration file (`-- CreateTable` and its statements).
public struct MigrationStep: Sendable, Hashable {
    /// Prisma's step names (`CreateTable`, `AlterTable`, `RedefineTables`, …), so a file
    /// Wenwex writes reads like one Prisma wrote.
    public var comment: String
    public var statements: [String]

    public init(_ comment: String, _ statements: [String]) {
        self.comment = comment
        self.statements = statements
    }
}

/// The SQL for a set of schema changes, as it goes into `migration.sql`.
///
/// In the plain form (Prisma's) everything is one file, one transaction. The online form
/// (``DDLForm/online``) moves the work that would hold a lock on a live table while it reads
/// every row into two later files: ``concurrentSteps`` build and drop indexes `CONCURRENTLY`,
/// which cannot run in a transaction, and ``validationSteps`` validate the constraints the
/// first file added `NOT VALID`, under locks that let reads and writes go on.
public struct MigrationScript: Sendable, Hashable {
    public var steps: [MigrationStep]
    /// Steps run one statement at a time, after ``steps`` committed: indexes built or dropped
    /// `CONCURRENTLY`, and foreign keys that need one of those indexes.
    public var concurrentSteps: [MigrationStep]
    /// Steps run in a transaction of their own after ``concurrentSteps``: `VALIDATE CONSTRAINT`
    /// scans first, then the instant `SET NOT NULL`s a validated check allows.
    public var validationSteps: [MigrationStep]
    /// Lines for the warnings block at the top of the file (what the migration may lose).
    public var warnings: [String]

    public init(
        steps: [MigrationStep] = [],
        concurrentSteps: [MigrationStep] = [],
        validationSteps: [MigrationStep] = [],
        warnings: [String] = []
    ) {
        self.steps = steps
        self.concurrentSteps = concurrentSteps
        self.validationSteps = validationSteps
        self.warnings = warnings
    }

    public var isEmpty: Bool {
        (steps + concurrentSteps + validationSteps).allSatisfy(\.statements.isEmpty)
    }

    /// Every statement in order, across the files.
    public var statements: [String] { (steps + concurrentSteps + validationSteps).flatMap(\.statements) }

    /// The first file's text, in Prisma's layout: an optional warnings comment, then each step
    /// as a `-- Name` line and its statements ending in `;`, separated by blank lines. In the
    /// plain form this is the whole migration; in the online form, see ``files``.
    public var sql: String { Self.text(steps, warnings: warnings, note: nil) }

    /// One migration file of a script: its text and what its name adds to the migration's.
    public struct File: Sendable, Hashable {
        /// `nil` for the first file, which takes the migration's own name.
        public var nameSuffix: String?
        public var sql: String
    }

    /// The files the script becomes, in the order they must run: the transactional steps,
    /// then the concurrent index builds, then the validations, leaving out the empty ones.
    /// The warnings go into the first.
    public var files: [File] {
        let parts: [(String, [MigrationStep], String)] = [
            ("", steps, ""),
            ("concurrent_indexes", concurrentSteps, Self.concurrentNote),
            ("validate_constraints", validationSteps, Self.validationNote),
        ]
        var files: [File] = []
        for (suffix, steps, note) in parts where steps.contains(where: { !$0.statements.isEmpty }) {
            let first = files.isEmpty
            files.append(
                File(
                    nameSuffix: first ? nil : suffix,
                    sql: Self.text(steps, warnings: first ? warnings : [], note: note.isEmpty ? nil : note)
                )
            )
        }
        return files.isEmpty ? [File(nameSuffix: nil, sql: sql)] : files
    }

    static let concurrentNote = """
        -- Runs outside a transaction, one statement at a time: CREATE INDEX CONCURRENTLY lets reads
        -- and writes go on while it builds. A build that failed leaves an invalid index, which the
        -- DROP before it removes when the migration is retried (`wenwex migrate resolve --rolled-back`).
        """

    static let validationNote = """
        -- Checks existing rows against constraints added NOT VALID by an earlier migration, under a
        -- lock that lets reads and writes go on. SET NOT NULL then uses the validated check instead
        -- of scanning the table.
        """

    private static func text(_ steps: [MigrationStep], warnings: [String], note: String?) -> String {
        var blocks: [String] = []
        if !warnings.isEmpty {
            blocks.append("/*\n  Warnings:\n\n" + warnings.map { "  - \($0)" }.joined(separator: "\n") + "\n\n*/")
        }
        if let note { blocks.append(note) }
        for step in steps where !step.statements.isEmpty {
            blocks.append("-- \(step.comment)\n" + step.statements.map { $0 + ";" }.joined(separator: "\n\n"))
        }
        return steps.allSatisfy(\.statements.isEmpty) && warnings.isEmpty
            ? "-- This is an empty migration.\n" : blocks.joined(separator: "\n\n") + "\n"
    }
}
