import Foundation
import Testing

/// `wenwex init` on an empty folder and on a copy of a Prisma-style project, then the commands a
/// user runs next.
@Suite struct InitCommandTests {
    @Test func anEmptyFolderBecomesAProjectThatChecksMigratesAndReportsStatus() async throws {
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        let first = try await cli.run("init")
        #expect(first.status == 0, "\(first.stderr)")
        for file in ["wenwex.toml", "prisma/schema.prisma", ".env.example", ".env.dev", ".gitignore"] {
            #expect(first.stdout.contains("created   \(file)"))
            #expect(FileManager.default.fileExists(atPath: cli.project.appendingPathComponent(file).path))
        }
        #expect(first.stdout.contains("Next steps:"))
        let gitignore = try cli.read(".gitignore")
        #expect(gitignore.contains(".wenwex/") && gitignore.contains(".env.*.local"))

        // Again: every file is reported and left alone, byte for byte.
        let before = try cli.read("wenwex.toml")
        try cli.write(".env.dev", "DATABASE_URL=\"file:.wenwex/dev.db\"\n# mine\n")
        let second = try await cli.run("init")
        #expect(second.status == 0)
        #expect(second.stdout.contains("kept      wenwex.toml"))
        #expect(second.stdout.contains("kept      .env.dev"))
        #expect(try cli.read("wenwex.toml") == before)
        #expect(try cli.read(".env.dev").contains("# mine"))

        let check = try await cli.run("env", "check")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let dev = try await cli.run("migrate", "dev", "--name", "init")
        #expect(dev.status == 0, "\(dev.stdout)\(dev.stderr)")
        #expect(
            FileManager.default.fileExists(atPath: cli.project.appendingPathComponent("prisma/migrations-sqlite").path)
        )
        let status = try await cli.run("migrate", "status")
        #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
    }

    @Test func aPrismaProjectIsAdoptedWhereItIsWithNothingMovedOrOverwritten() async throws {
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        let files = [
            "prisma/schema/schema.prisma": """
            generator client {
              provider = "prisma-client-js"
            }

            datasource db {
              provider = "sqlite"
              url      = env("APP_DATABASE_URL")
            }
            """,
            "prisma/schema/post.prisma": """
            model Post {
              id    Int    @id @default(autoincrement())
              title String
            }
            """,
            "prisma/schema/migrations/20240101000000_init/migration.sql": """
            -- CreateTable
            CREATE TABLE "Post" (
                "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                "title" TEXT NOT NULL
            );
            """,
            "prisma/schema/migrations/migration_lock.toml": "provider = \"sqlite\"\n",
            ".env": "APP_DATABASE_URL=\"file:./app.db\"\n",
            ".env.development": "FEATURE=1\n",
            ".gitignore": "node_modules\n.env.local",
            "package.json": #"{"name": "app", "devDependencies": {"prisma": "6.7.0"}}"#,
        ]
        for (path, text) in files { try cli.write(path, text) }

        let adopted = try await cli.run("init")
        #expect(adopted.status == 0, "\(adopted.stderr)")
        #expect(adopted.stdout.contains("Adopted the Prisma project"))
        #expect(adopted.stdout.contains("prisma/schema/migrations"))
        #expect(adopted.stdout.contains(".env.development is not read"))
        let project = try cli.read("wenwex.toml")
        #expect(project.contains(#"url_variable = "APP_DATABASE_URL""#))
        #expect(project.contains(#"path = "prisma/schema""#))
        #expect(project.contains(#"migrations = "prisma/schema/migrations""#))
        for (path, text) in files where path != ".gitignore" {
            #expect(try cli.read(path) == text, "\(path) changed")
        }
        #expect(try cli.read(".gitignore").hasPrefix("node_modules\n.env.local\n"))
        #expect(
            !FileManager.default.fileExists(atPath: cli.project.appendingPathComponent("prisma/schema.prisma").path)
        )

        let check = try await cli.run("env", "check")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let pending = try await cli.run("migrate", "status")
        #expect(pending.status == 1)
        #expect(pending.stdout.contains("20240101000000_init"))
        #expect(try await cli.run("migrate", "deploy").status == 0)
        let status = try await cli.run("migrate", "status")
        #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
        #expect(FileManager.default.fileExists(atPath: cli.project.appendingPathComponent("app.db").path))
    }

    @Test func adoptWithoutAPrismaSchemaIsAUsageError() async throws {
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        let outcome = try await cli.run("init", "--adopt")
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("error: no Prisma schema"))
        #expect(outcome.stderr.contains("  fix: "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.project.path).isEmpty)
    }
}

/// One test per exit status `wenwex --help` documents, and argument-parser's own errors mapped
/// onto them.
@Suite struct ExitStatusTests {
    @Test func helpAndVersionExitZeroOnStandardOutput() async throws {
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        let help = try await cli.run("--help")
        #expect(help.status == 0)
        #expect(
            help.stdout.contains("Exit status: 0 success, 1 a check found a problem, 2 bad usage or configuration.")
        )
        #expect(try await cli.run("--version").status == 0)
        let completion = try await cli.run("--generate-completion-script", "bash")
        #expect(completion.status == 0)
        #expect(completion.stdout.contains("_wenwex"))
    }

    @Test func aCheckThatFindsAProblemExitsOne() async throws {
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        #expect(try await cli.run("init", "--provider", "sqlite").status == 0)
        try cli.write("prisma/migrations/20240101000000_init/migration.sql", "CREATE TABLE \"A\" (\"id\" INTEGER);\n")
        try cli.write("prisma/migrations/migration_lock.toml", "provider = \"sqlite\"\n")
        let status = try await cli.run("migrate", "status")
        #expect(status.status == 1)
    }

    @Test func usageErrorsExitTwoNotSixtyFour() async throws {
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        for arguments in [["migrate", "nonsense"], ["init", "--no-such-flag"], ["init", "--adopt", "--new"]] {
            let outcome = try await cli.run(arguments)
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains("Error:") || outcome.stderr.contains("error:"))
        }
        let configuration = try await cli.run(["env", "check", "--env", "nowhere"])
        #expect(configuration.status == 2)
    }
}
