import Foundation
import Testing
import WenwexOps
import WenwexSQL
import WenwexSchema

/// The seeder's promises, checked the same way on each dialect against the marketplace schema.
enum SeedScenarios {
    static let count = 25

    /// Tables that may get fewer rows than asked for, and why: a join table gets only distinct
    /// (A, B) pairs and drops a row whose pair repeats after many tries; a one-to-one table has
    /// at most one row per parent.
    static let mayBeShort: Set<String> = ["_CategoryToProduct", "Profile"]

    static func rowCountsAndConstraints(_ dialect: SQLDialect) async throws {
        let prisma = try SeedDatabase.marketplace(dialect)
        let seeder = Seeder(schema: prisma, dialect: dialect)
        try await SeedDatabase.with(dialect, schema: seeder.schema) { session in
            let report = try await seeder.seed(session, count: count, seed: 1)
            #expect(report.tables.count == seeder.schema.tables.count)
            // Parents come before children.
            let order = report.tables.map(\.name)
            #expect(order.firstIndex(of: "users")! < order.firstIndex(of: "products")!)
            #expect(order.firstIndex(of: "products")! < order.firstIndex(of: "order_items")!)
            #expect(order.firstIndex(of: "Order")! < order.firstIndex(of: "order_items")!)
            for table in seeder.schema.tables {
                let rows = try await SeedDatabase.count(
                    session,
                    "SELECT COUNT(*) FROM \(SeedDatabase.name(table, dialect))"
                )
                #expect(rows == report.rows(in: table.name), "\(table.name)")
                if mayBeShort.contains(table.name) {
                    #expect(rows > count / 2 && rows <= count, "\(table.name): \(rows)")
                } else {
                    #expect(rows == count, "\(table.name): \(rows)")
                }
            }
            try await foreignKeysHold(session, seeder.schema)
            try await uniquesHold(session, seeder.schema)
            try await valuesLookReal(session, seeder)
        }
    }

    /// Every non-NULL foreign key names an existing parent (checked by query on both dialects,
    /// plus SQLite's own check), and optional ones are sometimes NULL.
    static func foreignKeysHold(_ session: any SQLSession, _ schema: SQLSchema) async throws {
        let dialect = session.dialect
        if dialect == .sqlite {
            #expect(try await session.query("PRAGMA foreign_key_check").isEmpty)
        }
        for table in schema.tables {
            for foreignKey in table.foreignKeys {
                let child = SeedDatabase.name(table, dialect)
                let parent = dialect.quoteIdentifier(foreignKey.referencedTable)
                let matches = zip(foreignKey.columns, foreignKey.referencedColumns).map { column, referenced in
                    "p.\(dialect.quoteIdentifier(referenced)) = c.\(dialect.quoteIdentifier(column))"
                }
                let orphans = try await SeedDatabase.count(
                    session,
                    """
                    SELECT COUNT(*) FROM \(child) c WHERE c.\(dialect.quoteIdentifier(foreignKey.columns[0])) IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM \(parent) p WHERE \(matches.joined(separator: " AND ")))
                    """
                )
                #expect(orphans == 0, "\(foreignKey.name)")
            }
        }
        // The optional self-reference: some users were referred, always by an earlier user.
        let referred = try await SeedDatabase.count(
            session,
            #"SELECT COUNT(*) FROM "users" WHERE "referred_by_id" IS NOT NULL"#
        )
        #expect(referred > 0 && referred < count)
        let forward = try await SeedDatabase.count(
            session,
            #"SELECT COUNT(*) FROM "users" WHERE "referred_by_id" >= "id""#
        )
        #expect(forward == 0)
    }

    /// Primary keys and unique indexes hold distinct values (composite ones as tuples).
    static func uniquesHold(_ session: any SQLSession, _ schema: SQLSchema) async throws {
        let dialect = session.dialect
        for table in schema.tables {
            let sets = (table.primaryKey.map { [$0.columns] } ?? []) + table.uniques.map(\.columns)
            for columns in sets {
                let list = columns.map(dialect.quoteIdentifier).joined(separator: ", ")
                let notNull = columns.map { "\(dialect.quoteIdentifier($0)) IS NOT NULL" }.joined(separator: " AND ")
                let name = SeedDatabase.name(table, dialect)
                let all = try await SeedDatabase.count(session, "SELECT COUNT(*) FROM \(name) WHERE \(notNull)")
                let distinct = try await SeedDatabase.count(
                    session,
                    "SELECT COUNT(*) FROM (SELECT DISTINCT \(list) FROM \(name) WHERE \(notNull)) AS d"
                )
                #expect(all == distinct && all > 0, "\(table.name) \(columns)")
            }
        }
    }

    /// Recognisable columns look real; enum columns hold declared values; lengths fit.
    static func valuesLookReal(_ session: any SQLSession, _ seeder: Seeder) async throws {
        let emails = try await session.queryText(#"SELECT "email" FROM "users""#).compactMap { $0[0] }
        #expect(emails.count == count)
        let pattern = /^[a-z0-9.]+@[a-z]+(\.[a-z]+)+$/
        for email in emails {
            #expect(email.wholeMatch(of: pattern) != nil, "\(email)")
        }
        for enumColumn in seeder.enumColumns {
            let declared = Set(enumColumn.values)
            let values = try await session.queryText(
                "SELECT DISTINCT \(unsafeRaw: session.dialect.quoteIdentifier(enumColumn.column)) FROM \(unsafeRaw: session.dialect.quoteIdentifier(enumColumn.table))"
            )
            .compactMap { $0[0] }
            // Declared values only, and more than one of them across the rows.
            #expect(
                values.count > 1 && Set(values).isSubset(of: declared),
                "\(enumColumn.table).\(enumColumn.column): \(values)"
            )
        }
        let prices = try await session.queryText(#"SELECT CAST("price" AS TEXT) FROM "products""#).compactMap { $0[0] }
        for price in prices {
            let value = Double(price) ?? -1
            #expect(value >= 1 && value < 1000, "\(price)")
            #expect(price.split(separator: ".").last.map { $0.count <= 2 } ?? false, "\(price)")
        }
        let phoneOrURL = try await session.queryText(#"SELECT "url" FROM "ProductImage""#).compactMap { $0[0] }
        #expect(phoneOrURL.allSatisfy { $0.hasPrefix("https://") })
    }

    /// The same seed gives the same rows in another fresh database; another seed does not.
    static func deterministic(_ dialect: SQLDialect) async throws {
        let seeder = Seeder(schema: try SeedDatabase.marketplace(dialect), dialect: dialect)
        func run(seed: UInt64) async throws -> [String: [[String?]]] {
            try await SeedDatabase.with(dialect, schema: seeder.schema) { session in
                _ = try await seeder.seed(session, count: count, seed: seed)
                return try await SeedDatabase.snapshot(session, seeder.schema)
            }
        }
        let first = try await run(seed: 42)
        let again = try await run(seed: 42)
        let other = try await run(seed: 43)
        #expect(first["users"]?.count == count)
        #expect(first == again)
        #expect(first["users"] != other["users"])
        #expect(first["products"] != other["products"])
    }

    /// Seeding a database that already has seeded rows adds more without breaking a unique
    /// index (the same seed makes the same emails, so they must be steered away).
    static func seedsTwiceIntoTheSameDatabase(_ dialect: SQLDialect) async throws {
        let seeder = Seeder(schema: try SeedDatabase.marketplace(dialect), dialect: dialect)
        try await SeedDatabase.with(dialect, schema: seeder.schema) { session in
            _ = try await seeder.seed(session, count: 10, seed: 5)
            #expect(try await seeder.existingRows(session) > 0)
            let second = try await seeder.seed(session, count: 10, seed: 5)
            #expect(second.rows(in: "users") == 10)
            #expect(try await SeedDatabase.count(session, #"SELECT COUNT(*) FROM "users""#) == 20)
            try await uniquesHold(session, seeder.schema)
        }
    }
}
