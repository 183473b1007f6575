import Foundation
import Logging
import Testing
import WenwexConfig
import WenwexSQL
import WenwexTestSupport

@testable import WenwexOps

/// A clone drops the target's keys, indexes and foreign keys for the load and makes them again;
/// rows travel in `COPY`'s binary format where the types allow it. Both must leave the target
/// exactly as the text format and the old row-by-row keys did.
@Suite("Clone keys and copy formats on PostgreSQL", .enabled(if: PostgresAvailability.shouldRun))
struct CloneKeysAndFormatsTests {
    /// Objects a team adds by hand, of every kind dropping an index or key can lose: an
    /// expression index, a unique index (not a constraint) that a foreign key references,
    /// comments on keys, foreign keys and indexes, a replica identity index, a clustered index
    /// and a foreign key that was never validated.
    static let handMadeSQL = [
        #"CREATE INDEX "Order_userId_idx" ON "Order"("userId")"#,
        #"CREATE INDEX "User_lower_email_idx" ON "User"(lower(email))"#,
        #"CREATE UNIQUE INDEX "Product_name_key" ON "Product"(name)"#,
        #"ALTER TABLE "OrderLine" ADD COLUMN "productName" TEXT REFERENCES "Product"(name)"#,
        #"ALTER TABLE "Refund" ADD CONSTRAINT "Refund_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"(id) NOT VALID"#,
        #"COMMENT ON INDEX "Order_userId_idx" IS 'orders by user'"#,
        #"COMMENT ON CONSTRAINT "Order_pkey" ON "Order" IS 'the order''s key'"#,
        #"COMMENT ON CONSTRAINT "Order_userId_fkey" ON "Order" IS 'whose order'"#,
        #"ALTER TABLE "OrderLine" REPLICA IDENTITY USING INDEX "OrderLine_pkey""#,
        #"ALTER TABLE "Order" CLUSTER ON "Order_userId_idx""#,
        #"COMMENT ON CONSTRAINT "OrderLine_productName_fkey" ON "OrderLine" IS 'by name'"#,
    ]

    /// The fixture's rules, with an `sql(…)` rule on a column a foreign key references: that
    /// key is dropped for the load and checked again after it, with its comment.
    static var rules: [String: [String: SanitizeRule]] {
        var rules = CloneFixture.rules
        rules["Product"]?["name"] = .sql("name")
        return rules
    }

    @Test func keysIndexesAndForeignKeysComeBackAsTheyWereInBothFormats() async throws {
        let fixture = try await CloneFixture.make()
        try await fixture.cloner().run()
        try await DatabaseConnector.withSession(fixture.target) { session in
            for statement in Self.handMadeSQL { try await session.execute(statement, []) }
        }
        let before = try await Self.schemaFingerprint(fixture.target)
        #expect(before.contains("orders by user") && before.contains("NOT VALID"), "the fingerprint sees them")

        let binary = try await fixture.cloner(rules: Self.rules).run()
        #expect(binary.binaryTables == ["Order", "OrderLine", "Product", "Refund"], "User has inet and date rules")
        #expect(try await Self.schemaFingerprint(fixture.target) == before)
        let binaryContents = try await CloneFixture.contents(fixture.target)

        var textOnly = fixture.cloner(rules: Self.rules)
        textOnly.allowsBinaryCopy = false
        let text = try await textOnly.run()
        #expect(text.binaryTables.isEmpty)
        #expect(try await Self.schemaFingerprint(fixture.target) == before)
        #expect(try await CloneFixture.contents(fixture.target) == binaryContents, "both formats copy the same rows")
        #expect(try await CloneFixture.orphans(fixture.target).values.allSatisfy { $0 == 0 })
    }

    @Test func whatTheRebuiltKeysFindRollsTheCloneBack() async throws {
        let fixture = try await CloneFixture.make()
        try await fixture.cloner().run()
        let before = try await CloneFixture.contents(fixture.target)
        // A constant for a unique column: every row gets the same value, which only the
        // unique index, made again after the load, can refuse.
        var rules = CloneFixture.rules
        rules["User"]?["referralCode"] = .constant("same")
        do {
            try await fixture.cloner(rules: rules).run()
            Issue.record("a clone that broke a unique index succeeded")
        } catch CloneError.failed(let message) {
            #expect(message.contains("keys, indexes and foreign keys"), "\(message)")
        }
        #expect(try await CloneFixture.contents(fixture.target) == before)
        #expect(try await Self.schemaFingerprint(fixture.target).contains("User_referralCode_key"))

        // A rule that rewrites a foreign key's column into values no parent has: the key,
        // checked again over the loaded rows, refuses them.
        rules = CloneFixture.rules
        rules["Refund"] = ["reason": .null, "line": .sql("(line + 100)::text")]
        do {
            try await fixture.cloner(rules: rules).run()
            Issue.record("a clone that broke a foreign key succeeded")
        } catch CloneError.failed(let message) {
            #expect(message.contains("keys, indexes and foreign keys"), "\(message)")
        }
        #expect(try await CloneFixture.contents(fixture.target) == before)
    }

    /// Every constraint, index, replica identity and column of the public schema, with
    /// comments and validation state, one line each.
    static func schemaFingerprint(_ url: DatabaseURL) async throws -> String {
        try await DatabaseConnector.withSession(url) { session in
            let rows = try await session.queryText(
                """
                SELECT x FROM (
                  SELECT format('constraint %s %s %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid),
                    convalidated, obj_description(oid, 'pg_constraint'))
                  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                  UNION ALL
                  SELECT format('index %s %s %s %s', pg_get_indexdef(indexrelid), indisclustered, indisreplident,
                    obj_description(indexrelid, 'pg_class'))
                  FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)
                  UNION ALL
                  SELECT format('table %s %s', oid::regclass, relreplident)
                  FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
                  UNION ALL
                  SELECT format('column %s.%s %s %s %s', attrelid::regclass, attname, format_type(atttypid, atttypmod),
                    attnotnull, pg_get_expr(d.adbin, d.adrelid))
                  FROM pg_attribute LEFT JOIN pg_attrdef d ON d.adrelid = attrelid AND d.adnum = attnum
                  WHERE attrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r')
                    AND attnum > 0 AND NOT attisdropped
                ) s(x) ORDER BY 1
                """,
                []
            )
            return rows.compactMap { $0[0] }.joined(separator: "\n")
        }
    }
}

@Suite("Clone readers in parts on PostgreSQL", .enabled(if: PostgresAvailability.shouldRun))
struct CloneReadersTests {
    /// Every table read in parts by four readers on one snapshot gives what one reader gives.
    @Test func tablesReadInPartsOnOneSnapshotMakeTheSameTarget() async throws {
        let fixture = try await CloneFixture.make()
        var serial = fixture.cloner()
        serial.readerCount = 1
        try await serial.run()
        let expected = try await CloneFixture.contents(fixture.target)

        var parallel = fixture.cloner()
        parallel.readerCount = 4
        parallel.smallestSplitTable = (rows: 0, pages: 1)
        let report = try await parallel.run()
        #expect(try await CloneFixture.contents(fixture.target) == expected, "in parts or in one piece, the same rows")
        // Four-character referral codes are bound to collide: User is copied again in key order.
        #expect(report.copiedAgainInOrder == ["User"])

        // Without them, the unique emails do not collide, and the copy in parts stands: its
        // values are the ones the ordered copy writes.
        var rules = CloneFixture.rules
        rules["User"]?["referralCode"] = .keep
        serial = fixture.cloner(rules: rules)
        serial.readerCount = 1
        try await serial.run()
        let expectedWithCodes = try await CloneFixture.contents(fixture.target)
        parallel = fixture.cloner(rules: rules)
        parallel.readerCount = 4
        parallel.smallestSplitTable = (rows: 0, pages: 1)
        #expect(try await parallel.run().copiedAgainInOrder.isEmpty)
        #expect(try await CloneFixture.contents(fixture.target) == expectedWithCodes)
        #expect(try await CloneFixture.orphans(fixture.target).values.allSatisfy { $0 == 0 })
    }

    /// Readers that join the snapshot see none of what commits after it, like the first.
    @Test func everyReaderSeesTheFirstReadersSnapshot() async throws {
        let fixture = try await CloneFixture.make()
        let primary = try await DatabaseConnector.open(fixture.source, access: .readOnly)
        try await primary.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", [])
        let before = try await primary.queryText(#"SELECT count(*)::text FROM "Order""#).first?.first ?? nil
        let readers = try await SnapshotReaders.open(
            primary: primary,
            extra: 2,
            url: fixture.source,
            settings: [],
            logger: Logger(label: "test")
        )
        try await DatabaseConnector.withSession(fixture.source) { session in
            try await session.execute(
                #"INSERT INTO "Order" ("userId", total) SELECT 1, 1 FROM generate_series(1, 10)"#,
                []
            )
        }
        #expect(readers.count == 3)
        for index in 0..<readers.count {
            let rows = try await readers.connection(index).query(
                #"SELECT count(*)::int8 FROM "Order""#,
                logger: Logger(label: "test")
            )
            let count = try await rows.collect().first?.decode(Int64.self)
            #expect(count.map(String.init) == before, "reader \(index)")
        }
        await readers.close()
        try await primary.execute("COMMIT", [])
        try await primary.close()
    }
}
