import Foundation
import Testing
import WenwexConfig

@Suite("Database URLs")
struct DatabaseURLTests {
    @Test func prismaStylePostgresURL() throws {
        let url = try DatabaseURL("postgresql://app:p%40ss@db.example.com:6543/market?schema=shop&sslmode=require")
        guard case .postgres(let location) = url.kind else {
            Issue.record("expected PostgreSQL")
            return
        }
        #expect(location.host == "db.example.com")
        #expect(location.port == 6543)
        #expect(location.username == "app")
        #expect(location.password == "p@ss")
        #expect(location.database == "market")
        #expect(location.schema == "shop")
        #expect(location.sslMode == "require")
    }

    @Test func postgresDefaults() throws {
        let url = try DatabaseURL("postgres://app@localhost/app")
        guard case .postgres(let location) = url.kind else {
            Issue.record("expected PostgreSQL")
            return
        }
        #expect(location.port == 5432)
        #expect(location.schema == "public")
        #expect(location.password == nil)
    }

    @Test func sqliteFilesResolveAgainstTheProjectDirectory() throws {
        let base = URL(fileURLWithPath: "/srv/app")
        #expect(try DatabaseURL("file:./dev.db", relativeTo: base).kind == .sqlite(path: "/srv/app/dev.db"))
        #expect(
            try DatabaseURL("file:.wenwex/dev.db", relativeTo: base).kind == .sqlite(path: "/srv/app/.wenwex/dev.db")
        )
        #expect(try DatabaseURL("file:/var/data/app.db", relativeTo: base).kind == .sqlite(path: "/var/data/app.db"))
    }

    @Test func rejectsWhatItCannotUse() {
        for text in [
            "mysql://root@localhost/app", "", "postgresql://", "postgresql://h:99999/db",
            "postgresql://h/db?sslmode=sometimes", "file:",
        ] {
            #expect(throws: DatabaseURLError.self, "\(text)") { try DatabaseURL(text) }
        }
    }
}
