import Foundation
import WenwexSQL

/// What a clone will copy: every table of the source, each column with the rule it gets.
public struct ClonePlan: Sendable {
    public struct Column: Sendable, Hashable {
        public var name: String
        /// `format_type` of the column (`character varying(255)`).
        public var type: String
        public var rule: SanitizeRule
        /// Whether the rule was written in the configuration (else it is the default `keep`).
        public var ruleWasGiven: Bool
        /// Why the column looks like personal data, when it does.
        public var personal: String?
        /// Part of a single-column unique index or the primary key: fake values must not collide.
        public var isUnique: Bool
        /// The `n` of `varchar(n)` / `char(n)`.
        public var maxLength: Int?
        /// What the type's binary form is, which decides whether the table can be copied in
        /// `COPY`'s binary format.
        public var binaryForm: BinaryForm = .databaseSpecific
    }

    /// A column type's binary send/receive form, as far as a clone cares.
    public enum BinaryForm: Sendable, Hashable {
        /// Text types (`text`, `varchar`, `char`, `name` and domains over them): the binary form
        /// is the UTF-8 text itself, so every rule can rewrite it.
        case text
        /// Built-in types, enums and domains over built-in types: the same bytes mean the same
        /// value in any database of the same major version.
        case portable
        /// Arrays of enums, composites, extension types: their binary form can carry OIDs that
        /// differ between databases, so only their text form travels.
        case databaseSpecific
    }

    public struct Table: Sendable, Hashable {
        public var schema: String
        public var name: String
        public var columns: [Column]
        /// `pg_class.reltuples`: the planner's estimate, for the dry run.
        public var estimatedRows: Int
        /// The primary key's columns: the order rows are read in when a unique column gets fake
        /// values, so collisions are settled the same way in every clone.
        public var orderBy: [String]
        /// A partitioned table: `COPY` routes its rows to the partitions, and `FREEZE` is refused.
        public var isPartitioned = false

        /// Whether every column can travel in `COPY`'s binary format: a column that passes
        /// through needs a portable binary form, and one a rule rewrites (or an `sql(…)` rule
        /// computes, as text) needs the text form that is its own binary form.
        var copiesInBinary: Bool {
            columns.allSatisfy { column in
                switch column.rule {
                case .keep: column.binaryForm != .databaseSpecific
                case .null: true
                default: column.binaryForm == .text
                }
            }
        }

        /// A unique column gets fake values: collisions are settled in key order, so the rows
        /// are read in that order, by one reader.
        var needsOrderedRead: Bool { columns.contains { $0.isUnique && $0.rule.isGenerated } }

        var qualified: String {
            SQLDialect.postgres.quoteIdentifier(schema) + "." + SQLDialect.postgres.quoteIdentifier(name)
        }
    }

    public var tables: [Table]

    /// Columns that look personal and have no rule (`keep` must be written out).
    public var unsanitized: [String] {
        tables.flatMap { table in
            table.columns.compactMap { column in
                guard let personal = column.personal, column.rule == .keep, !column.ruleWasGiven else { return nil }
                return "\(table.name).\(column.name) (\(personal))"
            }
        }
    }
}
