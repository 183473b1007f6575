/// A statement and its parameters, written as one string whose `\(value)` interpolations become
/// bound parameters.
///
/// Numbering `$1`, `$2`, … by hand drifts out of step as a query grows conditional clauses;
/// splicing values into SQL text is an injection. `SQLQuery` removes both: every interpolated
/// value is a parameter, numbered when the query is rendered, in every dialect (the SQLite
/// session maps `$n` to `?n`). Text enters a query only as a literal in source code,
/// as a quoted identifier (`\(identifier: name)`), as another `SQLQuery`, or through the
/// deliberately loud `\(unsafeRaw:)` / `SQLQuery(unsafeSQL:)`.
///
/// ```swift
/// let rows = try await session.query(
///     "SELECT id, title FROM \(identifier: "Product") WHERE price <= \(maxPrice) AND title ILIKE \(pattern)"
/// )
/// ```
///
/// The same idea as PostgresNIO's `PostgresQuery` and GRDB's `SQL` literal.
public struct SQLQuery: Sendable, Hashable, ExpressibleByStringInterpolation {
    enum Segment: Sendable, Hashable {
        case text(String)
        case bind(SQLValue)
    }

    var segments: [Segment]

    init(segments: [Segment]) {
        self.segments = segments
    }

    /// A literal without interpolations: SQL text with no parameters.
    public init(stringLiteral value: String) {
        self.segments = [.text(value)]
    }

    /// The query an interpolated literal builds; called by the compiler.
    public init(stringInterpolation: StringInterpolation) {
        self.segments = stringInterpolation.segments
    }

    /// A query from text built at run time (generated migration SQL, a statement read from a
    /// file). The name says what it is: nothing in `sql` is escaped.
    public init(unsafeSQL sql: String) {
        self.segments = [.text(sql)]
    }

    /// The statement with its parameters numbered `$1`, `$2`, … in order of appearance.
    public var sql: String {
        var text = ""
        var number = 0
        for segment in segments {
            switch segment {
            case .text(let part):
                text += part
            case .bind:
                number += 1
                text += "$\(number)"
            }
        }
        return text
    }

    /// The parameters, in the order of their placeholders in `sql`.
    public var binds: [SQLValue] {
        segments.compactMap { segment in
            if case .bind(let value) = segment { value } else { nil }
        }
    }

    /// Appends another query, its parameters renumbered after this one's.
    public mutating func append(_ other: SQLQuery) {
        segments += other.segments
    }

    /// The two queries one after the other, `rhs`'s parameters numbered after `lhs`'s; no space is
    /// added between them.
    public static func + (lhs: SQLQuery, rhs: SQLQuery) -> SQLQuery {
        SQLQuery(segments: lhs.segments + rhs.segments)
    }

    /// Builds a query while it is interpolated; see ``SQLQuery``.
    public struct StringInterpolation: StringInterpolationProtocol {
        var segments: [Segment] = []

        /// Called by the compiler at the start of an interpolated literal.
        public init(literalCapacity: Int, interpolationCount: Int) {
            segments.reserveCapacity(interpolationCount * 2 + 1)
        }

        /// Keeps the literal text between interpolations as SQL.
        public mutating func appendLiteral(_ literal: String) {
            guard !literal.isEmpty else { return }
            segments.append(.text(literal))
        }

        /// A value, bound as a parameter: never part of the SQL text.
        public mutating func appendInterpolation(_ value: some SQLBindable) {
            segments.append(.bind(value.sqlValue))
        }

        /// A comma-separated list of parameters, for `IN (…)`; an empty list renders `NULL`,
        /// so `x IN (NULL)` matches nothing instead of being a syntax error.
        public mutating func appendInterpolation(list values: some Sequence<some SQLBindable>) {
            var first = true
            for value in values {
                if !first { segments.append(.text(", ")) }
                segments.append(.bind(value.sqlValue))
                first = false
            }
            if first { segments.append(.text("NULL")) }
        }

        /// A table or column name, double-quoted with embedded quotes doubled.
        public mutating func appendInterpolation(identifier name: String) {
            segments.append(.text(SQLDialect.postgres.quoteIdentifier(name)))
        }

        /// Another query (a clause built conditionally), its parameters renumbered in place.
        public mutating func appendInterpolation(_ fragment: SQLQuery) {
            segments += fragment.segments
        }

        /// Text spliced in unescaped. Only for SQL that code chose (a sort direction from an
        /// enum), never for anything a user sent.
        public mutating func appendInterpolation(unsafeRaw sql: String) {
            segments.append(.text(sql))
        }
    }
}

extension Sequence<SQLQuery> {
    /// The queries joined by `separator` (`" AND "` for a `WHERE`), parameters renumbered.
    public func joined(separator: String) -> SQLQuery {
        var result = SQLQuery(segments: [])
        for (index, query) in self.enumerated() {
            if index > 0 { result.segments.append(.text(separator)) }
            result.append(query)
        }
        return result
    }
}

/// A Swift value that can be bound as a SQL parameter.
public protocol SQLBindable: Sendable {
    /// The value to bind; read each time the value is interpolated into an ``SQLQuery``.
    var sqlValue: SQLValue { get }
}

extension SQLValue: SQLBindable {
    /// The value itself.
    public var sqlValue: SQLValue { self }
}

extension Int: SQLBindable {
    /// Bound as ``SQLValue/integer(_:)``.
    public var sqlValue: SQLValue { .integer(self) }
}

extension Int64: SQLBindable {
    /// Bound as ``SQLValue/integer(_:)``.
    public var sqlValue: SQLValue { .integer(Int(self)) }
}

extension Int32: SQLBindable {
    /// Bound as ``SQLValue/integer(_:)``.
    public var sqlValue: SQLValue { .integer(Int(self)) }
}

extension Double: SQLBindable {
    /// Bound as ``SQLValue/double(_:)``.
    public var sqlValue: SQLValue { .double(self) }
}

extension String: SQLBindable {
    /// Bound as ``SQLValue/text(_:)``.
    public var sqlValue: SQLValue { .text(self) }
}

extension Substring: SQLBindable {
    /// Bound as ``SQLValue/text(_:)``, copied into a `String`.
    public var sqlValue: SQLValue { .text(String(self)) }
}

extension Bool: SQLBindable {
    /// Bound as ``SQLValue/bool(_:)`` (1 or 0 on SQLite).
    public var sqlValue: SQLValue { .bool(self) }
}

extension [UInt8]: SQLBindable {
    /// Bound as ``SQLValue/bytes(_:)``: `bytea` on PostgreSQL, `BLOB` on SQLite.
    public var sqlValue: SQLValue { .bytes(self) }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    /// `nil` binds NULL; anything else binds the wrapped value's ``SQLBindable/sqlValue``.
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}
