import Foundation
import Testing

@testable import WenwexOps

@Suite("pg_dump and pg_restore lookup") struct PostgresClientToolsTests {
    @Test func versionLinesGiveTheirMajor() {
        #expect(PostgresClientTools.majorVersion(in: "pg_dump (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)") == 15)
        #expect(PostgresClientTools.majorVersion(in: "pg_dump (PostgreSQL) 9.6.24") == 9)
        #expect(PostgresClientTools.majorVersion(in: "pg_dump (PostgreSQL) 17beta1") == 17)
        #expect(PostgresClientTools.majorVersion(in: "garbage") == nil)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/pg_dump")))
    func toolsOlderThanTheServerAreRefusedWithThePackageToInstall() throws {
        let environment = ["PATH": "/usr/bin:/bin"]
        let found = try PostgresClientTools.locate(serverMajor: 10, environment: environment)
        #expect(found.majorVersion >= 10)
        #expect(found.versionText.hasPrefix("pg_dump (PostgreSQL)"))
        do {
            _ = try PostgresClientTools.locate(serverMajor: 99, environment: environment)
            Issue.record("tools older than the server were accepted")
        } catch {
            #expect(error.description.contains("PostgreSQL 99 server needs pg_dump and pg_restore of version 99"))
            #expect(error.description.contains("found only"))
            #expect(error.fix.contains("postgresql-client-99"))
        }
    }
}
