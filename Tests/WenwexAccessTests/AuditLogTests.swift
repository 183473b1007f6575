import Foundation
import Testing
import WenwexAccess
import WenwexConfig
import WenwexSQL
import WenwexTestSupport

/// The hash-chained audit log on a real PostgreSQL database: every kind of tampering is found,
/// and only the table's owner can tamper at all.
@Suite("Audit log on PostgreSQL", .enabled(if: PostgresAvailability.shouldRun))
struct AuditLogTests {
    func withLog(_ body: (AuditLog, any SQLSession, String) async throws -> Void) async throws {
        let url = try await SharedPostgres.freshDatabase(prefix: "audit")
        try await DatabaseConnector.withSession(try DatabaseURL(url)) { session in
            let log = AuditLog(session: session)
            for index in 1...5 {
                try await log.append(
                    actor: "cto@example.com",
                    action: "access grant",
                    target: "prod",
                    outcome: "ok",
                    detail: "#\(index)"
                )
            }
            try await body(log, session, url)
        }
    }

    @Test func anUntouchedChainVerifies() async throws {
        try await withLog { log, _, _ in
            let result = try await log.verify()
            #expect(result.entries == 5 && result.problem == nil, "\(result)")
            #expect(try await log.entries(since: "2000").count == 5)
        }
    }

    @Test(
        arguments: [
            (#"UPDATE "_wenwex_audit" SET actor = 'intern@example.com' WHERE sequence = 3"#, "row 3 was edited"),
            (#"DELETE FROM "_wenwex_audit" WHERE sequence = 2"#, "row 2 is missing"),
            (#"DELETE FROM "_wenwex_audit" WHERE sequence = 5"#, nil),
            (
                #"INSERT INTO "_wenwex_audit" SELECT 6, at, 'x', 'restore', 'prod', 'ok', '', hash, repeat('a', 64) FROM "_wenwex_audit" WHERE sequence = 5"#,
                "row 6 was edited"
            ),
            (
                #"UPDATE "_wenwex_audit" SET sequence = 100 WHERE sequence = 2; UPDATE "_wenwex_audit" SET sequence = 2 WHERE sequence = 4; UPDATE "_wenwex_audit" SET sequence = 4 WHERE sequence = 100"#,
                "row 2 does not follow row 1"
            ),
        ] as [(String, String?)]
    )
    func tamperingIsFoundAtTheFirstBadRow(tampering: String, expected: String?) async throws {
        try await withLog { log, session, _ in
            for statement in tampering.split(separator: ";") { try await session.execute(String(statement), []) }
            let result = try await log.verify()
            if let expected {
                #expect(
                    result.problem?.contains(expected) == true,
                    "\(tampering): \(String(describing: result.problem))"
                )
            } else {
                // Cutting the newest row leaves a valid shorter chain; its count shows it.
                #expect(result.problem == nil && result.entries == 4)
            }
        }
    }

    @Test func onlyTheOwnerCanChangeRowsAndAppendsStayInOneChain() async throws {
        try await withLog { log, session, url in
            let user = "auditor_" + UUID().uuidString.prefix(6).lowercased()
            try await session.execute("CREATE ROLE \(unsafeRaw: user) LOGIN")
            try await session.execute(
                #"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON "_wenwex_audit" TO \#(unsafeRaw: user)"#
            )
            let other = try await DatabaseConnector.open(
                try DatabaseURL(url.replacingOccurrences(of: "//postgres@", with: "//\(user)@"))
            )
            for statement in [
                #"UPDATE "_wenwex_audit" SET actor = 'x'"#, #"DELETE FROM "_wenwex_audit""#,
                #"TRUNCATE "_wenwex_audit""#,
            ] {
                await #expect(throws: (any Error).self, "\(statement)") { try await other.execute(statement, []) }
            }
            // Concurrent appends from two sessions serialise into one unbroken chain.
            let otherLog = AuditLog(session: other)
            async let mine: Void = {
                for index in 0..<10 {
                    try await log.append(actor: "a", action: "x", target: "t", outcome: "ok", detail: "\(index)")
                }
            }()
            async let theirs: Void = {
                for index in 0..<10 {
                    try await otherLog.append(actor: "b", action: "y", target: "t", outcome: "ok", detail: "\(index)")
                }
            }()
            do {
                _ = try await (mine, theirs)
            } catch {
                try await other.close()
                throw error
            }
            let result = try await log.verify()
            #expect(result.entries == 25 && result.problem == nil, "\(result)")
            try await other.close()
            try await session.execute(#"DROP TABLE "_wenwex_audit""#)
            try await session.execute("DROP OWNED BY \(unsafeRaw: user)")
            try await session.execute("DROP ROLE \(unsafeRaw: user)")
        }
    }
}
