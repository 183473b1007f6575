/// What the migration linter checks, by the name a `-- wenwex:allow <rule>` comment uses.
///
/// Each rule is one way a migration can lose data or hurt a live database; a migration file
/// acknowledges one it means to break by naming it in an allow comment, so the intent is
/// reviewed in the file itself instead of being silenced for the whole project.
public enum LintRule: String, Sendable, CaseIterable, CustomStringConvertible {
    /// A table goes away with its rows.
    case dropTable = "drop-table"
    /// A column goes away with its values (a rename is a drop and an add too).
    case dropColumn = "drop-column"
    /// A column's new type cannot hold every value of the old one.
    case narrowType = "narrow-type"
    /// A `NOT NULL` column with no default is added to a table that has rows: the migration fails.
    case requiredColumnWithoutDefault = "required-column-without-default"
    /// A unique index is created over values that repeat: the migration fails.
    case uniqueOverDuplicates = "unique-over-duplicates"
    /// An enum loses a value that rows still hold: the migration fails.
    case removeEnumValueInUse = "remove-enum-value-in-use"
    /// PostgreSQL builds an index on a large table without `CONCURRENTLY`, blocking writes
    /// to it for as long as the build takes.
    case indexWithoutConcurrently = "index-without-concurrently"
    /// PostgreSQL adds a foreign key or check constraint to a large table without `NOT VALID`,
    /// checking every row under a lock that blocks writes (or everything, for a check).
    case constraintWithoutNotValid = "constraint-without-not-valid"
    /// PostgreSQL adds a unique constraint or primary key to a large table and builds its
    /// index under an `ACCESS EXCLUSIVE` lock, instead of `USING INDEX` of one built
    /// concurrently.
    case constraintWithoutIndex = "constraint-without-index"
    /// PostgreSQL makes a column of a large table `NOT NULL`, scanning it under `ACCESS
    /// EXCLUSIVE`, without a validated check constraint to rely on.
    case setNotNull = "set-not-null"
    /// PostgreSQL changes a column's type in a way that rewrites a large table under `ACCESS
    /// EXCLUSIVE`.
    case rewritingTypeChange = "rewriting-type-change"
    /// PostgreSQL adds a column whose default differs per row (`gen_random_uuid()`,
    /// `clock_timestamp()`, a sequence) to a large table, rewriting it under `ACCESS EXCLUSIVE`.
    case volatileDefault = "volatile-default"
    /// PostgreSQL drops an index of a large table without `CONCURRENTLY`.
    case dropIndexWithoutConcurrently = "drop-index-without-concurrently"
    /// A table or column is renamed while the previous release, still serving during a rolling
    /// deploy, reads it by its old name.
    case renameInUse = "rename-in-use"
    /// A `-- wenwex:allow` comment names no rule, or one that does not exist: a typo there
    /// would silently leave a finding blocking, so the linter says so. It cannot be allowed.
    case unknownAllowRule = "unknown-allow-rule"

    public var description: String { rawValue }

    /// The rules an allow comment can name: every rule but `unknownAllowRule`.
    public static var acknowledgeable: [LintRule] {
        allCases.filter { $0 != .unknownAllowRule }
    }

    /// "add `-- wenwex:allow drop-column` to the migration if this is intended", the end of
    /// every finding's message, so the way out is always spelled in full.
    var acknowledgement: String {
        "add `-- wenwex:allow \(rawValue)` to the migration if this is intended"
    }
}
