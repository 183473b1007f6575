import Foundation
import Testing
import WenwexConfig

@Suite("Layered dotenv loading")
struct LayeredEnvironmentTests {
    private func load(
        _ directory: TemporaryDirectory,
        environment: String = "dev",
        process: [String: String] = [:],
        values: [String: String] = [:]
    ) throws -> LayeredEnvironment {
        let tier = Tier(alias: environment) ?? .dev
        return try LayeredEnvironment.load(
            directory: directory.url,
            environment: EnvironmentDefinition(name: environment, tier: tier, values: values),
            processEnvironment: process,
            projectFileLabel: "wenwex.toml",
            displayPath: { $0.lastPathComponent }
        )
    }

    @Test func precedenceIsProcessThenEnvLocalThenLocalThenEnvThenDotenvThenProjectFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(".env", "ALL=dotenv\nBASE=dotenv\nENV=dotenv\nLOCAL=dotenv\nENVLOCAL=dotenv\n")
        try directory.write(".env.prod", "ALL=env\nENV=env\nLOCAL=env\nENVLOCAL=env\n")
        try directory.write(".env.local", "ALL=local\nLOCAL=local\nENVLOCAL=local\n")
        try directory.write(".env.prod.local", "ALL=envlocal\nENVLOCAL=envlocal\n")
        try directory.write(".env.dev", "ALL=wrong-environment\n")
        let layers = try load(
            directory,
            environment: "prod",
            process: ["ALL": "process"],
            values: ["ALL": "toml", "TOML_ONLY": "toml"]
        )
        #expect(layers.variables["ALL"]?.value == "process")
        #expect(layers.variables["ALL"]?.source == .processEnvironment)
        #expect(layers.variables["ENVLOCAL"]?.value == "envlocal")
        #expect(layers.variables["ENVLOCAL"]?.source == .dotenv(path: ".env.prod.local", line: 2))
        #expect(layers.variables["LOCAL"]?.value == "local")
        #expect(layers.variables["ENV"]?.value == "env")
        #expect(layers.variables["BASE"]?.value == "dotenv")
        #expect(layers.variables["TOML_ONLY"]?.source == .projectFile(path: "wenwex.toml", environment: "prod"))
        #expect(layers.loadedFiles == [".env.prod.local", ".env.local", ".env.prod", ".env"])
        #expect(layers.layers.map(\.label).first == "process environment")
    }

    @Test func referencesSeeTheWinningValueAcrossLayers() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(".env", "DB_HOST=localhost\nDATABASE_URL=postgresql://app@${DB_HOST}:5432/app\n")
        try directory.write(".env.local", "DB_HOST=db.internal\n")
        let layers = try load(directory)
        #expect(layers.variables["DATABASE_URL"]?.value == "postgresql://app@db.internal:5432/app")
    }

    @Test func selfReferenceSeesTheNextLowerLayer() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(".env", "PATH_EXTRA=${PATH_EXTRA}:/opt/app\n")
        let layers = try load(directory, process: ["UNRELATED": "1"], values: ["PATH_EXTRA": "/usr/bin"])
        #expect(layers.variables["PATH_EXTRA"]?.value == "/usr/bin:/opt/app")
    }

    @Test func cyclesAreErrorsAndUndefinedReferencesAreWarnings() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(".env", "A=${B}\nB=${A}\n")
        #expect(throws: ConfigurationError.self) { try load(directory) }

        try directory.write(".env", "A=x${MISSING}y\n")
        let layers = try load(directory)
        #expect(layers.variables["A"]?.value == "xy")
        #expect(layers.warnings.contains { $0.subject == "A" && $0.message.contains("MISSING") })
    }

    @Test func syntaxErrorsOfEveryFileAreReportedTogether() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(".env", "OK=1\nbroken line\n")
        try directory.write(".env.local", "ALSO BROKEN\n")
        #expect {
            try load(directory)
        } throws: { error in
            let subjects = (error as? ConfigurationError)?.problems.map(\.subject) ?? []
            return subjects == [".env.local:1:6", ".env:2:8"]
        }
    }

    @Test func longTierNamedFilesAreFlaggedNotSilentlyIgnored() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(".env.production", "A=1\n")
        let layers = try load(directory, environment: "prod")
        #expect(layers.variables["A"] == nil)
        #expect(layers.warnings.contains { $0.subject == ".env.production" && $0.hint?.contains(".env.prod") == true })
    }
}
