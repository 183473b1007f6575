import Foundation
import Testing
import WenwexTestSupport

@Suite("wenwex env and db on the example project")
struct EnvCommandTests {
    @Test func devChecksOutOfTheBoxWithoutCreatingTheDatabase() async throws {
        let cli = try WenwexCLI()
        defer { cli.remove() }
        let outcome = try await cli.run("env", "check")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("environment  dev (tier dev)"))
        #expect(outcome.stdout.contains("Configuration for dev is valid."))
        #expect(!FileManager.default.fileExists(atPath: cli.project.appendingPathComponent(".wenwex/dev.db").path))
    }

    @Test func switchingWenwexEnvChangesTheDatabase() async throws {
        let cli = try WenwexCLI()
        defer { cli.remove() }
        func primaryURL(_ environment: [String: String]) async throws -> String? {
            let outcome = try await cli.run("env", "show", "--json", environment: environment)
            let json = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
            let databases = json?["databases"] as? [[String: Any]]
            return databases?.first?["url"] as? String
        }
        #expect(try await primaryURL([:]) == "file:.wenwex/dev.db")
        #expect(
            try await primaryURL(["WENWEX_ENV": "staging", "JWT_SECRET": String(repeating: "s", count: 32)])
                == "file:.wenwex/staging.db"
        )
        #expect(
            try await primaryURL(validProdSecrets)
                == "postgresql://wenwex:****@db.prod.wenwex.internal:5432/wenwex?schema=public&sslmode=require"
        )
    }

    @Test func prodPointedAtTheDevDatabaseIsRefused() async throws {
        let cli = try WenwexCLI()
        defer { cli.remove() }
        let stamp = try await cli.run("db", "stamp")
        #expect(stamp.status == 0, "\(stamp.stderr)")
        #expect(stamp.stdout.contains("environment 'dev'"))

        var environment = validProdSecrets
        environment["DATABASE_URL"] = "file:.wenwex/dev.db"
        let check = try await cli.run("env", "check", environment: environment)
        #expect(check.status == 2)
        #expect(check.stderr.contains("is the 'dev' (dev) database, but this process runs as 'prod' (prod)"))

        // Re-stamping the dev database for prod is refused too, even with --yes.
        let restamp = try await cli.run("db", "stamp", "--yes", environment: environment)
        #expect(restamp.status == 2)
        #expect(restamp.stderr.contains("refusing to re-stamp"))
    }

    @Test func prodWithDevCredentialsIsRefusedOffline() async throws {
        let cli = try WenwexCLI()
        defer { cli.remove() }
        var environment = validProdSecrets
        environment["DATABASE_URL"] = "postgresql://app:hunter2@localhost:5432/app"
        environment["STRIPE_SECRET_KEY"] = "sk_test_leaked"
        let outcome = try await cli.run("env", "check", "--offline", environment: environment)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("belongs to environment 'dev'"))
        #expect(outcome.stderr.contains("STRIPE_SECRET_KEY: starts with 'sk_test_'"))
        #expect(!outcome.stderr.contains("hunter2"))
        #expect(!outcome.stderr.contains("sk_test_leaked"))
    }

    @Test func everyProblemIsListedWithItsSource() async throws {
        let cli = try WenwexCLI()
        defer { cli.remove() }
        try cli.write(".env.local", "PORT=80a\nMAX_UPLOAD_MB=500\nLOG_LEVEL=loud\n")
        let outcome = try await cli.run("env", "check")
        #expect(outcome.status == 2)
        for expected in [
            "PORT: '80a' is not valid", "MAX_UPLOAD_MB: '500' is not valid", "LOG_LEVEL: 'loud' is not valid",
            "(from .env.local:1)",
        ] {
            #expect(outcome.stderr.contains(expected), "missing \(expected) in \(outcome.stderr)")
        }
        // PUBLIC_BASE_URL (http://127.0.0.1:${PORT:-8080} in .env) inherits PORT's mistake.
        #expect(outcome.stderr.contains("PUBLIC_BASE_URL: 'http://127.0.0.1:80a' is not valid: it is not a valid URL"))
        #expect(outcome.stderr.contains("4 configuration problems"))
    }

    @Test func malformedDotenvLineIsReportedWithLineAndColumn() async throws {
        let cli = try WenwexCLI()
        defer { cli.remove() }
        try cli.write(".env.local", "GOOD=1\nBAD LINE=2\n")
        let outcome = try await cli.run("env", "check", "--json")
        #expect(outcome.status == 2)
        let json = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let problems = json?["problems"] as? [[String: Any]]
        #expect(problems?.first?["subject"] as? String == ".env.local:2:5")
    }

    @Test func showMasksSecretsAndNamesSources() async throws {
        let cli = try WenwexCLI()
        defer { cli.remove() }
        let outcome = try await cli.run(
            "env",
            "show",
            environment: ["DATABASE_REPLICA_URLS": "postgresql://ro:topsecret@127.0.0.1:5433/app"]
        )
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(!outcome.stdout.contains("dev-only-secret"))
        #expect(!outcome.stdout.contains("topsecret"))
        #expect(!outcome.stdout.contains("sk_test_wenwex_example"))
        #expect(outcome.stdout.contains("postgresql://ro:****@127.0.0.1:5433/app"))
        #expect(outcome.stdout.contains("# .env.dev:3"))
        #expect(outcome.stdout.contains("# wenwex.toml [environments.dev.values]"))
    }

    @Test func everyCommandHasHelp() async throws {
        let cli = try WenwexCLI()
        defer { cli.remove() }
        for command in [[], ["env"], ["env", "check"], ["env", "show"], ["db"], ["db", "stamp"]] {
            let outcome = try await ChildProcess.run(WenwexCLI.executable, command + ["--help"])
            #expect(outcome.status == 0)
            #expect(outcome.stdout.contains("USAGE:"), "\(command)")
        }
        let unknown = try await cli.run("env", "chek")
        #expect(unknown.status == 2, "usage errors exit 2, as the help says")
    }
}
