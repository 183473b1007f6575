import HummingbirdBcrypt
public import WenwexSQL
public import WenwexSchema

/// Fills a database with fake rows derived from its schema, for trying an app out and for
/// development databases that need realistic volume.
///
/// Everything comes from the schema: types, lengths, precision, enum values, unique indexes
/// and foreign keys, plus column names for values that should look real (emails, names, phone
/// numbers, URLs, prices). Tables are filled parents first, required foreign keys point at
/// rows that exist, and the same seed gives the same rows, so a bug found on seeded data can
/// be reproduced. Values the database makes (autoincrement keys, sequences) are left to it
/// and read back. The whole run is one transaction: it writes everything or nothing.
public struct Seeder: Sendable {
    public let schema: SQLSchema
    public let dialect: SQLDialect
    /// Allowed values of enum-typed columns, needed on SQLite where enum columns are `TEXT`.
    public let enumColumns: [EnumColumn]

    /// Seeds the tables `schema` lowers to for `dialect`.
    public init(schema: PrismaSchema, dialect: SQLDialect) {
        self.init(
            sqlSchema: SchemaLowering.lower(schema, dialect: dialect),
            enumColumns: SchemaLowering.enumColumns(schema, dialect: dialect),
            dialect: dialect
        )
    }

    /// Seeds the tables of an SQL schema model (for schemas that do not come from Prisma).
    public init(sqlSchema: SQLSchema, enumColumns: [EnumColumn] = [], dialect: SQLDialect) {
        self.schema = sqlSchema
        self.enumColumns = enumColumns
        self.dialect = dialect
    }

    /// Adds about `count` rows to every table (join tables and one-to-one tables may get fewer:
    /// there may not be that many distinct pairs or parents) and reports how many each got.
    ///
    /// `progress` hears each table before it is filled (its name, its position, the table
    /// count), for a terminal's progress line.
    /// The password every seeded account signs in with: columns named like a password get
    /// its bcrypt hash (cost 10, `$2b$`, what bcrypt and bcryptjs verify).
    public static let devPassword = "wenwex-dev-password"

    /// Computed once per process: bcrypt is slow by design.
    static let devPasswordHash = Bcrypt.hash(devPassword, cost: 10)

    /// Whether seeding this schema writes password hashes (then ``devPassword`` signs in).
    public var seedsPasswords: Bool {
        schema.tables.contains { table in
            table.columns.contains { ColumnKind.of($0, enumValues: nil) == .passwordHash }
        }
    }

    public func seed(
        _ session: any SQLSession,
        count: Int,
        seed: UInt64,
        progress: (_ table: String, _ position: Int, _ total: Int) -> Void = { _, _, _ in }
    ) async throws -> SeedReport {
        let order = try TableOrder(schema)
        var plans: [TablePlan] = []
        for table in order.tables {
            plans.append(try TablePlan(table: table, schema: schema, order: order, enumValues: enumValues(of: table)))
        }
        let begin: SQLQuery = session.dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await session.inTransaction(begin: begin) {
            var written: [String: ParentRows] = [:]
            var report: [SeedReport.Table] = []
            for (position, plan) in plans.enumerated() {
                progress(plan.table.name, position + 1, plans.count)
                var random = SeedRandom.forTable(TableOrder.key(plan.table), seed: seed)
                let writer = TableWriter(plan: plan, session: session, enums: schema.enums)
                let parents = plan.foreignKeys.map { written[$0.parent] }
                var maker = RowMaker(
                    plan: plan,
                    random: random,
                    parents: parents,
                    taken: try await writer.existingKeys()
                )
                let rows = maker.rows(max(count, 0))
                let inserted = try await writer.insert(rows)
                random = maker.random
                try await writer.linkSelfReferences(inserted, random: &random)
                written[TableOrder.key(plan.table)] = inserted
                report.append(SeedReport.Table(name: plan.table.name, schema: plan.table.schema, rows: rows.count))
            }
            return SeedReport(tables: report, seed: seed)
        }
    }

    /// How many rows the schema's tables hold already (so a caller can ask before adding more).
    public func existingRows(_ session: any SQLSession) async throws -> Int {
        var total = 0
        for table in schema.tables {
            let name =
                (table.schema.map { session.dialect.quoteIdentifier($0) + "." } ?? "")
                + session.dialect.quoteIdentifier(table.name)
            total += try await session.query("SELECT COUNT(*) FROM \(unsafeRaw: name)").first?[0].integer ?? 0
        }
        return total
    }

    private func enumValues(of table: SQLTable) -> [String: [String]] {
        var values: [String: [String]] = [:]
        for column in enumColumns where column.table == table.name && column.schema == table.schema {
            values[column.column] = column.values
        }
        return values
    }
}
