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
public struct MigrationScript: Sendable, Hashable {
    public var steps: [MigrationStep]
    /// Lines for the warnings block at the top of the file (what the migration may lose).
    public var warnings: [String]

    public init(steps: [MigrationStep] = [], warnings: [String] = []) {
        self.steps = steps
        self.warnings = warnings
    }

    public var isEmpty: Bool { steps.allSatisfy(\.statements.isEmpty) }

    /// Every statement in order.
    public var statements: [String] { steps.flatMap(\.statements) }

    /// The file text, in Prisma's layout: an optional warnings comment, then each step as a
    /// `-- Name` line and its statements ending in `;`, separated by blank lines.
    public var sql: String {
        var blocks: [String] = []
        if !warnings.isEmpty {
            blocks.append("/*\n  Warnings:\n\n" + warnings.map { "  - \($0)" }.joined(separator: "\n") + "\n\n*/")
        }
        for step in steps where !step.statements.isEmpty {
            blocks.append("-- \(step.comment)\n" + step.statements.map { $0 + ";" }.joined(separator: "\n\n"))
        }
        return blocks.isEmpty ? "-- This is an empty migration.\n" : blocks.joined(separator: "\n\n") + "\n"
    }
}
