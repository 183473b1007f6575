import Configuration
import Foundation
import Synchronization
import Testing
import WenwexConfig

@Suite("Loading a project's configuration")
struct WenwexConfigurationTests {
    private static let projectFile = """
        [project]
        name = "shop"

        [environments.dev]
        fingerprint = { database_hosts = ["localhost"] }
        [environments.staging]
        [environments.prod]
        fingerprint = { database_hosts = ["db.prod.internal"] }

        [variables.PORT]
        type = "port"
        default = 8080

        [variables.JWT_SECRET]
        type = "secret"
        required_in = ["prod"]
        """

    private func load(
        _ directory: TemporaryDirectory,
        environment: String? = nil,
        process: [String: String] = [:]
    ) throws -> WenwexConfiguration {
        try WenwexConfiguration.load(
            .init(
                projectDirectory: directory.url,
                environmentName: environment,
                processEnvironment: process,
                workingDirectory: directory.url
            )
        )
    }

    @Test func noConfigurationAtAllMeansDevOnSQLite() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = try load(directory)
        #expect(configuration.environment.name == "dev")
        #expect(configuration.databases.primary.source == .builtInDefault)
        #expect(
            configuration.databases.primary.url.kind
                == .sqlite(path: directory.url.appendingPathComponent(".wenwex/dev.db").standardizedFileURL.path)
        )
    }

    @Test func wenwexEnvSelectsTheEnvironmentAndItsDatabase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("wenwex.toml", Self.projectFile)
        try directory.write(".env", "DATABASE_URL=file:./dev.db\n")
        try directory.write(".env.staging", "DATABASE_URL=file:./staging.db\n")
        let dev = try load(directory)
        let staging = try load(directory, process: ["WENWEX_ENV": "stage"])
        #expect(dev.databases.primary.url.rawValue == "file:./dev.db")
        #expect(staging.environment.name == "staging")
        #expect(staging.databases.primary.url.rawValue == "file:./staging.db")
        // --env wins over WENWEX_ENV.
        #expect(try load(directory, environment: "dev", process: ["WENWEX_ENV": "staging"]).environment.name == "dev")
    }

    @Test func unknownEnvironmentIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect {
            try load(directory, process: ["WENWEX_ENV": "qa"])
        } throws: { error in
            (error as? ConfigurationError)?.problems.first?.message.contains("unknown environment 'qa'") == true
        }
    }

    @Test func prodCollectsEveryProblemAtOnce() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("wenwex.toml", Self.projectFile)
        try directory.write(".env.prod", "PORT=eighty\nDATABASE_URL=postgresql://app:pw@localhost/app\n")
        #expect {
            try load(directory, environment: "production")
        } throws: { error in
            let subjects = Set(
                (error as? ConfigurationError)?.problems.filter { $0.severity == .error }.map(\.subject) ?? []
            )
            return subjects == ["PORT", "JWT_SECRET", "DATABASE_URL"]
        }
    }

    @Test func stagingWithoutDatabaseURLIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: ConfigurationError.self) { try load(directory, environment: "staging") }
    }

    @Test func configReaderSeesTheSameLayersAndRedactsSecrets() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("wenwex.toml", Self.projectFile)
        try directory.write(".env", "JWT_SECRET=from-dotenv\nHTTP_SERVER_TIMEOUT=5\n")
        try directory.write(".env.local", "JWT_SECRET=from-local\n")
        let configuration = try load(directory, process: ["DATABASE_URL": "postgresql://app:hunter2@localhost/app"])
        let reporter = RecordingAccessReporter()
        let reader = configuration.configReader(accessReporter: reporter)
        #expect(reader.string(forKey: "jwt.secret") == "from-local")
        #expect(reader.int(forKey: "http.serverTimeout") == 5)
        #expect(reader.int(forKey: "port") == 8080)
        #expect(reader.string(forKey: "database.url") == "postgresql://app:hunter2@localhost/app")
        // The library is told which values are secret, so its logs and descriptions redact them.
        let secrecy = reporter.secrecyByKey()
        #expect(secrecy["jwt.secret"] == true)
        #expect(secrecy["database.url"] == true)
        #expect(secrecy["port"] == false)
        #expect(secrecy["http.serverTimeout"] == false)
        #expect(configuration.int("PORT") == 8080)
        let listing = configuration.listing()
        #expect(listing.first { $0.name == "JWT_SECRET" }?.value == SecretMasker.mask)
        #expect(listing.first { $0.name == "JWT_SECRET" }?.source == ".env.local:1")
        #expect(listing.first { $0.name == "DATABASE_URL" }?.value == "postgresql://app:****@localhost/app")
    }
}

/// Records whether each value the reader returned was marked secret.
private final class RecordingAccessReporter: AccessReporter {
    private let events = Mutex<[String: Bool]>([:])

    func report(_ event: AccessEvent) {
        guard case .success(let value?) = event.result else { return }
        events.withLock { $0[event.metadata.key.components.joined(separator: ".")] = value.isSecret }
    }

    func secrecyByKey() -> [String: Bool] {
        events.withLock { $0 }
    }
}
