import Foundation
import Testing
import WenwexConfig
import WenwexTestSupport

@testable import WenwexSQL

@Suite struct PostgresTimestampTextTests {
    @Test func microsecondsSince2000FormatExactly() {
        #expect(PostgresTimestampText.iso8601(microsecondsSince2000: 0) == "2000-01-01T00:00:00.000")
        #expect(PostgresTimestampText.iso8601(microsecondsSince2000: -1) == "1999-12-31T23:59:59.999")
        // 2026-12-02T17:10:44.517 — the value Date and a formatter printed as .516.
        let days: Int64 = 9832  // 2000-01-01 to 2026-12-02
        let micros = days * 86_400_000_000 + ((17 * 3600 + 10 * 60 + 44) * 1_000_000) + 517_000
        #expect(PostgresTimestampText.iso8601(microsecondsSince2000: micros) == "2026-12-02T17:10:44.517")
        #expect(PostgresTimestampText.iso8601(daysSince2000: 60) == "2000-03-01T00:00:00.000")  // a leap year
        #expect(PostgresTimestampText.iso8601(microsecondsSince2000: .max) == "infinity")
    }

    @Test(.enabled(if: PostgresAvailability.shouldRun))
    func postgresTimestampsReadBackToTheMillisecond() async throws {
        let url = try DatabaseURL(try await SharedPostgres.freshDatabase(prefix: "timestamps"))
        let rows = try await DatabaseConnector.withSession(url) { session in
            try await session.query(
                """
                SELECT TIMESTAMP '2026-12-02 17:10:44.517' AS a, TIMESTAMP '1999-12-31 23:59:59.999' AS b,
                       TIMESTAMPTZ '2024-02-29 00:00:00.001+00' AS c, DATE '2024-02-29' AS d
                """
            )
        }
        let row = try #require(rows.first)
        #expect(row["a"].text == "2026-12-02T17:10:44.517")
        #expect(row["b"].text == "1999-12-31T23:59:59.999")
        #expect(row["c"].text == "2024-02-29T00:00:00.001")
        #expect(row["d"].text == "2024-02-29T00:00:00.000")
    }
}
