import Foundation
import Testing
import WenwexConfig
import WenwexSQL
import WenwexTestSupport

/// `wenwex db pull` on copies of the example project: the written file, keeping an existing
/// header and names, `--print`, and the refusals (no database, an empty one, another
/// environment's).
@Suite("wenwex db pull")
struct DbPullCommandTests {
    /// A shop with an inline `UNIQUE`, a cascading foreign key, a descending index and a table
    /// without any key.
    static let shopSQL = [
        #"CREATE TABLE "user" (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, "display name" TEXT)"#,
        """
        CREATE TABLE post (id INTEGER PRIMARY KEY AUTOINCREMENT,
            author_id INTEGER NOT NULL REFERENCES "user"(id) ON DELETE CASCADE ON UPDATE CASCADE,
            title TEXT NOT NULL DEFAULT 'untitled', created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)
        """,
        "CREATE INDEX post_title_idx ON post(title DESC)",
        "CREATE TABLE log (message TEXT)",
    ]

    /// The example project with its dev database stamped and holding `statements`.
    static func project(with statements: [String]) async throws -> WenwexCLI {
        let cli = try WenwexCLI()
        let stamp = try await cli.run("db", "stamp")
        try #require(stamp.status == 0, "\(stamp.stderr)")
        let url = try DatabaseURL("file:" + cli.project.appendingPathComponent(".wenwex/dev.db").path)
        try await DatabaseConnector.withSession(url) { session in
            for statement in statements { try await session.execute(statement, []) }
        }
        return cli
    }

    static func lines(_ text: String) -> Set<String> {
        Set(text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") })
    }

    @Test func pullWritesAValidSchemaFromTheDevDatabase() async throws {
        let cli = try await Self.project(with: Self.shopSQL)
        defer { cli.remove() }
        let outcome = try await cli.run("db", "pull")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("Introspected 3 models from SQLite database"))
        #expect(outcome.stdout.contains("prisma/schema.prisma"))
        #expect(outcome.stderr.contains("warning: The table log has no primary key"))

        let path = cli.project.appendingPathComponent("prisma/schema.prisma")
        let text = try String(contentsOf: path, encoding: .utf8)
        let lines = Self.lines(text)
        for expected in [
            "provider = \"sqlite\"", "url = env(\"DATABASE_URL\")", "generator client {",
            "model user {", "email String @unique", "display_name String? @map(\"display name\")", "post post[]",
            "author user @relation(fields: [author_id], references: [id], onDelete: Cascade)",
            "title String @default(\"untitled\")", "created DateTime @default(now())",
            "@@index([title(sort: Desc)])", "model log {", "@@ignore",
        ] {
            #expect(lines.contains(expected), "missing `\(expected)` in\n\(text)")
        }
        let validate = try await cli.run("schema", "validate")
        #expect(validate.status == 0, "\(validate.stderr)\n\(text)")
    }

    @Test func pullKeepsTheExistingHeaderAndNamesAndPrintOnlyPrints() async throws {
        let cli = try await Self.project(with: Self.shopSQL)
        defer { cli.remove() }
        let prisma = cli.project.appendingPathComponent("prisma")
        try FileManager.default.createDirectory(at: prisma, withIntermediateDirectories: true)
        let path = prisma.appendingPathComponent("schema.prisma")
        let existing = """
            // Our schema: keep this comment.
            generator client {
              provider = "prisma-client-js"
              output   = "../generated/client"
            }

            datasource db {
              provider = "sqlite"
              url      = env("DATABASE_URL")
            }

            /// People who write.
            model User {
              id          Int     @id @default(autoincrement())
              email       String  @unique
              displayName String? @map("display name")
              posts       Post[]

              @@map("user")
            }

            model Post {
              id       Int    @id @default(autoincrement())
              authorId Int    @map("author_id")
              author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)

              @@map("post")
            }
            """
        try existing.write(to: path, atomically: true, encoding: .utf8)

        let printed = try await cli.run("db", "pull", "--print")
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(try String(contentsOf: path, encoding: .utf8) == existing, "--print must not write the file")

        let pulled = try await cli.run("db", "pull")
        #expect(pulled.status == 0, "\(pulled.stderr)")
        let text = try String(contentsOf: path, encoding: .utf8)
        #expect(text == printed.stdout)
        #expect(text.hasPrefix("// Our schema: keep this comment.\ngenerator client {"))
        let lines = Self.lines(text)
        for expected in [
            "output = \"../generated/client\"", "/// People who write.", "model User {", "posts Post[]",
            "displayName String? @map(\"display name\")", "authorId Int @map(\"author_id\")",
            "author User @relation(fields: [authorId], references: [id], onDelete: Cascade)",
            "title String @default(\"untitled\")", "model log {",
        ] {
            #expect(lines.contains(expected), "missing `\(expected)` in\n\(text)")
        }
        let validate = try await cli.run("schema", "validate")
        #expect(validate.status == 0, "\(validate.stderr)\n\(text)")

        // A schema for another provider is refused; --force starts afresh.
        try text.replacingOccurrences(of: "\"sqlite\"", with: "\"postgresql\"")
            .write(to: path, atomically: true, encoding: .utf8)
        let mismatch = try await cli.run("db", "pull")
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("provider = \"postgresql\""))
        let forced = try await cli.run("db", "pull", "--force")
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOf: path, encoding: .utf8).contains("model user {"))
    }

    @Test func missingDatabaseIsNotCreatedAndEmptyDatabaseIsAnError() async throws {
        let cli = try WenwexCLI()
        defer { cli.remove() }
        let database = cli.project.appendingPathComponent(".wenwex/dev.db")
        let missing = try await cli.run("db", "pull")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: database.path))

        let stamp = try await cli.run("db", "stamp")
        try #require(stamp.status == 0, "\(stamp.stderr)")
        let empty = try await cli.run("db", "pull")
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("The introspected database was empty"))
        #expect(empty.stderr.contains("fix:"))
        #expect(!FileManager.default.fileExists(atPath: cli.project.appendingPathComponent("prisma").path))
    }

    @Test func anotherEnvironmentsDatabaseIsRefused() async throws {
        let cli = try await Self.project(with: Self.shopSQL)
        defer { cli.remove() }
        var environment = validProdSecrets
        environment["DATABASE_URL"] = "file:.wenwex/dev.db"
        let outcome = try await cli.run("db", "pull", environment: environment)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("is the 'dev' (dev) database, but this process runs as 'prod' (prod)"))
        #expect(!FileManager.default.fileExists(atPath: cli.project.appendingPathComponent("prisma").path))
    }

    @Test func helpDescribesTheCommand() async throws {
        let outcome = try await ChildProcess.run(WenwexCLI.executable, ["db", "pull", "--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("--print"))
        #expect(outcome.stdout.contains("--force"))
        #expect(outcome.stdout.contains("--schema"))
    }
}

@Suite("wenwex db pull on PostgreSQL", .enabled(if: PostgresAvailability.shouldRun))
struct PostgresDbPullCommandTests {
    @Test func pullReadsTheUrlsSchemaWithEnums() async throws {
        let cli = try WenwexCLI()
        defer { cli.remove() }
        let url = try await SharedPostgres.freshDatabase(prefix: "cli_pull") + "?sslmode=disable"
        try await DatabaseConnector.withSession(try DatabaseURL(url)) { session in
            for statement in [
                "CREATE TYPE mood AS ENUM ('happy', 'so-so')",
                "CREATE TABLE author (id serial PRIMARY KEY, name varchar(80) NOT NULL, mood mood NOT NULL DEFAULT 'happy')",
                "CREATE TABLE book (id bigserial PRIMARY KEY, author_id int NOT NULL REFERENCES author(id), title text NOT NULL)",
                // Another schema: not the URL's, so not pulled.
                "CREATE SCHEMA other", "CREATE TABLE other.hidden (id int PRIMARY KEY)",
            ] {
                try await session.execute(statement, [])
            }
        }
        let outcome = try await cli.run("db", "pull", "--print", environment: ["DATABASE_URL": url])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        // Unstamped in dev: allowed, with the hint to stamp it.
        #expect(outcome.stderr.contains("has no Wenwex identity stamp yet"))
        let lines = DbPullCommandTests.lines(outcome.stdout)
        for expected in [
            "provider = \"postgresql\"", "model author {", "name String @db.VarChar(80)", "mood mood @default(happy)",
            "book book[]", "model book {", "id BigInt @id @default(autoincrement())",
            "author author @relation(fields: [author_id], references: [id], onDelete: NoAction, onUpdate: NoAction)",
            "enum mood {", "so_so @map(\"so-so\")",
        ] {
            #expect(lines.contains(expected), "missing `\(expected)` in\n\(outcome.stdout)")
        }
        #expect(!outcome.stdout.contains("hidden"))
    }
}
