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
