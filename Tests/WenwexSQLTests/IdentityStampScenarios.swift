import Foundation
import Testing
import WenwexConfig
import WenwexSQL

/// The guard's behaviour on a real database, shared by the SQLite and PostgreSQL suites so both
/// dialects are held to exactly the same rules.
enum IdentityStampScenarios {
    static let dev = DatabaseOwner(project: "shop", environment: "dev", tier: .dev)
    static let staging = DatabaseOwner(project: "shop", environment: "staging", tier: .staging)
    static let prod = DatabaseOwner(project: "shop", environment: "prod", tier: .prod)

    static func endpoint(_ url: DatabaseURL) -> DatabaseEndpoints.Endpoint {
        DatabaseEndpoints(
            primary: .init(role: .primary, variable: "DATABASE_URL", url: url, source: .processEnvironment),
            replicas: []
        ).primary
    }

    static func readStamp(_ url: DatabaseURL) async throws -> IdentityStamp? {
        try await DatabaseConnector.withSession(url, access: .readOnly) { session in
            try await IdentityStampStore(session: session, url: url).read()
        }
    }

    /// A dev-stamped database: dev may use it, prod and staging are refused, re-stamping is
    /// refused, and the stamp survives every refusal unchanged.
    static func devDatabaseIsGuarded(_ url: DatabaseURL) async throws {
        let target = endpoint(url)
        #expect(try await readStamp(url) == nil)

        let outcome = try await DatabaseStamper.stamp(target, owner: dev, confirmation: FixedConfirmation(false))
        guard case .stamped(let stamp) = outcome else {
            Issue.record("expected a new stamp, got \(outcome)")
            return
        }
        #expect(stamp.environment == "dev")
        let stored = try await readStamp(url)
        #expect(stored?.instanceID == stamp.instanceID)
        #expect(stored?.tier == .dev)
        #expect(stored.map { abs($0.stampedAt.timeIntervalSince(stamp.stampedAt)) < 2 } == true)

        // Stamping again is idempotent for the owner.
        #expect(
            try await DatabaseStamper.stamp(target, owner: dev, confirmation: FixedConfirmation(false))
                == .alreadyStamped(stored!)
        )

        // dev opens it; prod and staging are refused, naming both environments.
        let session = try await GuardedDatabase.open(target, owner: dev)
        try await session.close()
        for owner in [prod, staging] {
            await #expect {
                try await GuardedDatabase.open(target, owner: owner)
            } throws: { error in
                let message = (error as? ConfigurationError)?.problems.first?.message ?? ""
                return message.contains("'dev'") && message.contains("'\(owner.environment)'")
            }
            // Re-stamping for another environment is refused even when confirmed.
            await #expect(throws: ConfigurationError.self) {
                try await DatabaseStamper.stamp(target, owner: owner, confirmation: FixedConfirmation(true))
            }
        }
        #expect(try await readStamp(url) == stored)

        // The read-only check reports the same verdicts.
        let endpoints = DatabaseEndpoints(primary: target, replicas: [])
        let asDev = await DatabaseIdentityCheck.check(endpoints, owner: dev)
        #expect(asDev.first?.reachable == true)
        #expect(asDev.first?.problems.isEmpty == true)
        let asProd = await DatabaseIdentityCheck.check(endpoints, owner: prod)
        #expect(asProd.first?.problems.contains { $0.severity == .error } == true)
    }

    /// An unstamped database: prod refuses to use it and claims it only when confirmed.
    static func prodClaimsOnlyWithConfirmation(_ url: DatabaseURL) async throws {
        let target = endpoint(url)
        await #expect(throws: ConfigurationError.self) { try await GuardedDatabase.open(target, owner: prod) }
        await #expect(throws: ConfigurationError.self) {
            try await DatabaseStamper.stamp(target, owner: prod, confirmation: FixedConfirmation(false))
        }
        #expect(try await readStamp(url) == nil)
        let outcome = try await DatabaseStamper.stamp(target, owner: prod, confirmation: FixedConfirmation(true))
        guard case .stamped = outcome else {
            Issue.record("expected a new stamp, got \(outcome)")
            return
        }
        let session = try await GuardedDatabase.open(target, owner: prod)
        try await session.close()
        await #expect(throws: ConfigurationError.self) { try await GuardedDatabase.open(target, owner: dev) }
    }
}
