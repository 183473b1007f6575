import Foundation
import Logging
import Testing
import WenwexConfig
import WenwexSQL
import WenwexTestSupport

@Suite struct SQLQueryTests {
    @Test func interpolatedValuesBecomeNumberedParameters() {
        let id = 7
        let title = "Desk lamp'); DROP TABLE products; --"
        let query: SQLQuery = "SELECT * FROM products WHERE id = \(id) AND title = \(title)"
        #expect(query.sql == "SELECT * FROM products WHERE id = $1 AND title = $2")
        #expect(query.binds == [.integer(7), .text(title)])
    }

    @Test func fragmentsAreRenumberedWhereTheyAreSpliced() {
        let conditions: [SQLQuery] = ["seller_id = \(3)", "price <= \(12.5)", "stock > 0", "title LIKE \("%lamp%")"]
        let query: SQLQuery = "SELECT id FROM products WHERE \(conditions.joined(separator: " AND ")) LIMIT \(21)"
        #expect(
            query.sql
                == "SELECT id FROM products WHERE seller_id = $1 AND price <= $2 AND stock > 0 AND title LIKE $3 LIMIT $4"
        )
        #expect(query.binds == [.integer(3), .double(12.5), .text("%lamp%"), .integer(21)])
        var appended: SQLQuery = "SELECT \(1)"
        appended.append(", \(2)")
        #expect((appended + " FROM t WHERE a = \(3)").sql == "SELECT $1, $2 FROM t WHERE a = $3")
    }

    @Test func optionalsListsIdentifiersAndRawText() {
        let missing: String? = nil
        let present: Int? = 4
        let query: SQLQuery =
            "UPDATE \(identifier: #"odd"name"#) SET a = \(missing), b = \(present) WHERE id IN (\(list: [1, 2, 3])) ORDER BY id \(unsafeRaw: "DESC")"
        #expect(query.sql == #"UPDATE "odd""name" SET a = $1, b = $2 WHERE id IN ($3, $4, $5) ORDER BY id DESC"#)
        #expect(query.binds == [.null, .integer(4), .integer(1), .integer(2), .integer(3)])
        let empty: SQLQuery = "SELECT 1 WHERE 2 IN (\(list: [Int]()))"
        #expect(empty.sql == "SELECT 1 WHERE 2 IN (NULL)")
        #expect(empty.binds.isEmpty)
        #expect(SQLQuery(unsafeSQL: "SELECT 1").sql == "SELECT 1")
    }

    @Test func sqliteRunsInterpolatedQueriesAndNeverSplicesValues() async throws {
        let session = try await SQLiteSession.open(
            path: ":memory:",
            readOnly: false,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await Self.roundTrip(session)
        try await session.close()
    }

    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func postgresRunsInterpolatedQueriesAndNeverSplicesValues() async throws {
        let url = try DatabaseURL(try await SharedPostgres.freshDatabase(prefix: "sql_query"))
        try await DatabaseConnector.withSession(url) { session in try await Self.roundTrip(session) }
    }

    /// A value that would be an injection if spliced is stored and read back as text.
    static func roundTrip(_ session: any SQLSession) async throws {
        try await session.execute(#"CREATE TABLE "Note" (id INTEGER PRIMARY KEY, body TEXT, stars INTEGER)"#)
        let hostile = "x'); DROP TABLE \"Note\"; --"
        for (id, body) in [(1, hostile), (2, "plain"), (3, "third")] {
            try await session.execute(
                "INSERT INTO \(identifier: "Note") (id, body, stars) VALUES (\(id), \(body), \(id * 2))"
            )
        }
        let minimum = 2
        let rows = try await session.query(
            "SELECT id, body FROM \(identifier: "Note") WHERE stars >= \(minimum) AND id IN (\(list: [1, 3])) ORDER BY id"
        )
        #expect(rows.map { $0["id"].integer } == [1, 3])
        #expect(rows.first?["body"].text == hostile)
        #expect(try await session.queryText("SELECT COUNT(*) FROM \(identifier: "Note")") == [["3"]])
    }
}
