import Testing
import WenwexConfig

@Suite("Cross-environment guard")
struct GuardTests {
    private let prodOwner = DatabaseOwner(project: "shop", environment: "prod", tier: .prod)
    private let devOwner = DatabaseOwner(project: "shop", environment: "dev", tier: .dev)

    @Test func ownStampIsAccepted() {
        let stamp = prodOwner.newStamp()
        #expect(CrossEnvironmentGuard.verify(stamp: stamp, owner: prodOwner, database: "DATABASE_URL") == .owned(stamp))
    }

    @Test func anotherEnvironmentsStampIsRefusedNamingBoth() {
        let verdict = CrossEnvironmentGuard.verify(
            stamp: devOwner.newStamp(),
            owner: prodOwner,
            database: "DATABASE_URL"
        )
        guard case .refused(let problem) = verdict else {
            Issue.record("expected a refusal, got \(verdict)")
            return
        }
        #expect(problem.message.contains("'dev'"))
        #expect(problem.message.contains("'prod'"))
    }

    @Test func anotherProjectsStampIsRefused() {
        let other = DatabaseOwner(project: "blog", environment: "prod", tier: .prod).newStamp()
        #expect(CrossEnvironmentGuard.verify(stamp: other, owner: prodOwner, database: "db").isRefused)
    }

    @Test func unstampedIsRefusedOnProdAndAWarningElsewhere() {
        #expect(CrossEnvironmentGuard.verify(stamp: nil, owner: prodOwner, database: "db").isRefused)
        guard case .unstamped(let warning) = CrossEnvironmentGuard.verify(stamp: nil, owner: devOwner, database: "db")
        else {
            Issue.record("expected a warning")
            return
        }
        #expect(warning.severity == .warning)
    }

    @Test func stampingRules() throws {
        // Claiming an unstamped database: free in dev, needs confirmation on prod.
        guard
            case .claim = try CrossEnvironmentGuard.planStamp(
                existing: nil,
                owner: devOwner,
                database: "db",
                confirmed: false
            )
        else {
            Issue.record("dev should claim")
            return
        }
        #expect(throws: ConfigurationError.self) {
            try CrossEnvironmentGuard.planStamp(existing: nil, owner: prodOwner, database: "db", confirmed: false)
        }
        guard
            case .claim(let stamp) = try CrossEnvironmentGuard.planStamp(
                existing: nil,
                owner: prodOwner,
                database: "db",
                confirmed: true
            )
        else {
            Issue.record("confirmed prod should claim")
            return
        }
        // Re-stamping is a no-op for the owner and refused for anyone else, confirmed or not.
        #expect(
            try CrossEnvironmentGuard.planStamp(existing: stamp, owner: prodOwner, database: "db", confirmed: false)
                == .alreadyOwned(stamp)
        )
        #expect(throws: ConfigurationError.self) {
            try CrossEnvironmentGuard.planStamp(existing: stamp, owner: devOwner, database: "db", confirmed: true)
        }
    }

    @Test func destructiveOperationsRefuseProdAndNeedConfirmation() throws {
        let prod = EnvironmentDefinition(name: "prod", tier: .prod)
        let staging = EnvironmentDefinition(name: "staging", tier: .staging)
        #expect(throws: ConfigurationError.self) {
            try TierGuard.authorizeDestructive(
                "db reset",
                database: "db",
                in: prod,
                confirmation: FixedConfirmation(true)
            )
        }
        #expect(throws: ConfigurationError.self) {
            try TierGuard.authorizeDestructive(
                "db reset",
                database: "db",
                in: staging,
                confirmation: FixedConfirmation(false)
            )
        }
        try TierGuard.authorizeDestructive(
            "db reset",
            database: "db",
            in: staging,
            confirmation: FixedConfirmation(true)
        )
        try TierGuard.requireTier([.dev], for: "migrate dev", in: EnvironmentDefinition(name: "local", tier: .dev))
        #expect(throws: ConfigurationError.self) { try TierGuard.requireTier([.dev], for: "migrate dev", in: staging) }
        #expect(!TerminalConfirmation(assumeYes: false).confirm("no terminal in tests"))
        #expect(TerminalConfirmation(assumeYes: true).confirm("scripted"))
    }
}

@Suite("Environment fingerprints")
struct FingerprintTests {
    private let environments = [
        EnvironmentDefinition(
            name: "dev",
            tier: .dev,
            fingerprint: .init(
                databaseHosts: ["localhost", "127.0.0.1"],
                keyPrefixes: ["STRIPE_SECRET_KEY": "sk_test_"]
            )
        ),
        EnvironmentDefinition(name: "staging", tier: .staging, fingerprint: .init(projectRefs: ["stagingref"])),
        EnvironmentDefinition(
            name: "prod",
            tier: .prod,
            fingerprint: .init(
                databaseHosts: ["*.prod.internal"],
                projectRefs: ["prodref"],
                keyPrefixes: ["STRIPE_SECRET_KEY": "sk_live_"]
            )
        ),
    ]

    private func problems(_ environment: Int, url: String, key: String? = nil) throws -> [ConfigurationProblem] {
        var variables: [String: ResolvedVariable] = [:]
        if let key {
            variables["STRIPE_SECRET_KEY"] = ResolvedVariable(
                name: "STRIPE_SECRET_KEY",
                value: key,
                source: .processEnvironment
            )
        }
        return FingerprintCheck.problems(
            current: environments[environment],
            all: environments,
            databases: [.init(variable: "DATABASE_URL", url: try DatabaseURL(url), source: .processEnvironment)],
            variables: variables
        )
    }

    @Test func matchingCredentialsPass() throws {
        #expect(try problems(2, url: "postgresql://app.prodref:pw@db.prod.internal/app", key: "sk_live_123").isEmpty)
        #expect(try problems(0, url: "postgresql://app@localhost/app", key: "sk_test_123").isEmpty)
    }

    @Test func prodWithDevCredentialsIsRefused() throws {
        let found = try problems(2, url: "postgresql://app:pw@localhost/app", key: "sk_test_123")
        #expect(found.contains { $0.subject == "DATABASE_URL" && $0.message.contains("environment 'dev'") })
        #expect(
            found.contains { $0.subject == "DATABASE_URL" && $0.message.contains("not one of prod's database hosts") }
        )
        let key = found.first { $0.subject == "STRIPE_SECRET_KEY" }
        #expect(key?.message.contains("sk_test_") == true)
        #expect(key?.message.contains("'dev'") == true)
        #expect(found.allSatisfy { !$0.description.contains("sk_test_123") && !$0.description.contains(":pw@") })
    }

    @Test func bucketsAndStorageEndpointsAreFingerprintsToo() {
        let environments = [
            EnvironmentDefinition(
                name: "dev",
                tier: .dev,
                fingerprint: .init(storageBuckets: ["shop-dev"], storageEndpoints: ["127.0.0.1", "localhost"])
            ),
            EnvironmentDefinition(
                name: "prod",
                tier: .prod,
                fingerprint: .init(storageBuckets: ["shop-prod-*"], storageEndpoints: ["s3.eu-central-1.amazonaws.com"])
            ),
        ]
        func check(_ current: Int, bucket: String, endpoint: String) -> [ConfigurationProblem] {
            FingerprintCheck.problems(
                current: environments[current],
                all: environments,
                databases: [],
                variables: [
                    "S3_BUCKET": ResolvedVariable(name: "S3_BUCKET", value: bucket, source: .processEnvironment),
                    "S3_ENDPOINT": ResolvedVariable(name: "S3_ENDPOINT", value: endpoint, source: .processEnvironment),
                ]
            )
        }
        #expect(check(1, bucket: "shop-prod-images", endpoint: "https://s3.eu-central-1.amazonaws.com").isEmpty)
        #expect(check(0, bucket: "shop-dev", endpoint: "http://127.0.0.1:9000").isEmpty)
        let crossed = check(1, bucket: "shop-dev", endpoint: "http://127.0.0.1:9000")
        #expect(crossed.contains { $0.subject == "S3_BUCKET" && $0.message.contains("of environment 'dev'") })
        #expect(crossed.contains { $0.subject == "S3_BUCKET" && $0.message.contains("not one of prod's") })
        #expect(crossed.contains { $0.subject == "S3_ENDPOINT" && $0.message.contains("'127.0.0.1' of environment 'dev'") })
        let devOnProd = check(0, bucket: "shop-prod-images", endpoint: "http://127.0.0.1:9000")
        #expect(devOnProd.map(\.subject) == ["S3_BUCKET", "S3_BUCKET"], "\(devOnProd)")
    }

    @Test func prodWithStagingProjectRefIsRefused() throws {
        let found = try problems(2, url: "postgresql://postgres.stagingref@db.prod.internal/app")
        #expect(found.contains { $0.message.contains("environment 'staging'") })
        #expect(found.contains { $0.message.contains("project ref") })
    }

    @Test func devWithProdHostIsRefusedToo() throws {
        let found = try problems(0, url: "postgresql://app@db1.prod.internal/app")
        #expect(found.contains { $0.message.contains("environment 'prod'") })
    }
}
