/// A column's default value.
///
/// Values are kept neutral (`.literal(.string("BUYER"))`, not `'BUYER'::"Role"`) so a lowered
/// schema and an introspected one compare equal; each dialect's renderer and introspector turn
/// them into and out of SQL.
public enum SQLDefault: Sendable, Hashable, Codable {
    /// A constant value.
    case literal(SQLLiteral)
    /// `CURRENT_TIMESTAMP` (Prisma's `now()`).
    case currentTimestamp
    /// The next value of a PostgreSQL sequence (`nextval('"User_id_seq"'::regclass)`), by name.
    case sequence(String)
    /// A database expression written verbatim (Prisma's `dbgenerated("…")`).
    case expression(String)
    /// A value the application computes (`uuid()`, `cuid()`, `nanoid()`, `ulid()`,
    /// `@updatedAt`): kept so the model says where the value comes from, but it puts no
    /// default in the database. The text is the function as written, e.g. `uuid(7)`.
    case applicationGenerated(String)

    /// Whether the database holds this default (everything but `.applicationGenerated`).
    public var isDatabaseDefault: Bool {
        if case .applicationGenerated = self { return false }
        return true
    }
}

/// A constant in a default, independent of how a dialect spells it.
public indirect enum SQLLiteral: Sendable, Hashable, Codable {
    /// Text, unquoted (also enum values by their database name, dates and JSON as written).
    case string(String)
    /// A number exactly as written (`0`, `-1`, `12.50`), so no precision is lost.
    case number(String)
    case boolean(Bool)
    /// A PostgreSQL array (`ARRAY[1, 2, 3]`).
    case array([SQLLiteral])
}
