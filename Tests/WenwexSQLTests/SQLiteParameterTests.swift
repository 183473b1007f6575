import Logging
import Testing

@testable import WenwexSQL

@Suite struct SQLiteParameterTests {
    @Test func dollarParametersBecomeNumberedQuestionMarksOutsideQuotes() {
        #expect(SQLiteSession.sqliteParameters("SELECT 1") == "SELECT 1")
        #expect(
            SQLiteSession.sqliteParameters("UPDATE t SET a = $2 WHERE id = $1 AND b = $10")
                == "UPDATE t SET a = ?2 WHERE id = ?1 AND b = ?10"
        )
        #expect(
            SQLiteSession.sqliteParameters(#"SELECT '$1', "$2" FROM t WHERE x = $3 AND y = 'é$'"#)
                == #"SELECT '$1', "$2" FROM t WHERE x = ?3 AND y = 'é$'"#
        )
        #expect(SQLiteSession.sqliteParameters("SELECT '€' || $1, $x") == "SELECT '€' || ?1, $x")
    }

    @Test func theRewrittenStatementBindsByNumber() async throws {
        let session = try await SQLiteSession.open(
            path: ":memory:",
            readOnly: false,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let rows = try await session.query(
            "SELECT $2 AS b, $1 AS a, '$1' AS literal",
            [.text("first"), .text("second")]
        )
        #expect(rows.first?["a"] == .text("first"))
        #expect(rows.first?["b"] == .text("second"))
        #expect(rows.first?["literal"] == .text("$1"))
        try await session.close()
    }
}
