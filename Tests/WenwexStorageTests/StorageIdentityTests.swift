import AsyncHTTPClient
import Foundation
import Testing
import WenwexConfig
import WenwexStorage
import WenwexTestSupport

/// The cross-environment guard over object storage, on both backends.
@Suite struct StorageIdentityTests {
    static let dev = DatabaseOwner(project: "shop", environment: "dev", tier: .dev)
    static let prod = DatabaseOwner(project: "shop", environment: "prod", tier: .prod)

    static func scenario(_ store: some ObjectStore) async throws {
        // Unstamped: a warning in dev, a refusal in prod.
        #expect(!(try await StorageIdentity.check(store, owner: Self.dev, label: "bucket")).isRefused)
        #expect(try await StorageIdentity.check(store, owner: Self.prod, label: "bucket").isRefused)

        #expect(
            try await StorageIdentity.stamp(store, owner: Self.dev, label: "bucket")
                == .stamped(
                    try #require(try await StorageIdentity.read(store))
                )
        )
        guard case .owned = try await StorageIdentity.check(store, owner: Self.dev, label: "bucket") else {
            Issue.record("a dev bucket stamped for dev is owned by dev")
            return
        }
        // A prod process refuses the dev-stamped bucket, and cannot re-stamp it.
        #expect(try await StorageIdentity.check(store, owner: Self.prod, label: "bucket").isRefused)
        await #expect(throws: ConfigurationError.self) {
            try await StorageIdentity.stamp(store, owner: Self.prod, label: "bucket")
        }
        guard case .alreadyStamped = try await StorageIdentity.stamp(store, owner: Self.dev, label: "bucket") else {
            Issue.record("stamping again for the same owner changes nothing")
            return
        }
    }

    @Test func onTheFilesystem() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-stamp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try await Self.scenario(try FilesystemObjectStore(root: root))
    }

    @Test(.enabled(if: MotoAvailability.shouldRun))
    func onS3() async throws {
        try await Self.scenario(try await S3ObjectStoreTests.store())
    }

    /// The whole path a server takes: configuration → store → guard.
    @Test(.enabled(if: MotoAvailability.shouldRun))
    func aProdProcessRefusesADevStampedBucketFromItsConfiguration() async throws {
        let store = try await S3ObjectStoreTests.store()
        _ = try await StorageIdentity.stamp(store, owner: Self.dev, label: "bucket")
        let project = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: project) }
        try "[project]\nname = \"shop\"\n".write(
            to: project.appendingPathComponent("wenwex.toml"),
            atomically: true,
            encoding: .utf8
        )
        let environment = [
            "DATABASE_URL": "postgresql://app@db.example/app", "STORAGE_BACKEND": "s3",
            "S3_ENDPOINT": store.configuration.endpoint.absoluteString, "S3_BUCKET": store.configuration.bucket,
            "S3_ACCESS_KEY_ID": "AKIDEXAMPLE", "S3_SECRET_ACCESS_KEY": "secret",
        ]
        let prod = try WenwexConfiguration.load(
            .init(projectDirectory: project, environmentName: "prod", processEnvironment: environment)
        )
        do {
            _ = try await StorageFactory.makeGuarded(for: prod)
            Issue.record("prod must refuse a bucket stamped for dev")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("dev"))
        }
        let dev = try WenwexConfiguration.load(
            .init(projectDirectory: project, environmentName: "dev", processEnvironment: environment)
        )
        let (guarded, warnings) = try await StorageFactory.makeGuarded(for: dev)
        #expect(warnings.isEmpty)
        #expect(guarded is S3ObjectStore)
    }

    @Test func s3WithoutItsSettingsNamesEveryMissingOne() throws {
        let project = FileManager.default.temporaryDirectory
        let configuration = try WenwexConfiguration.load(
            .init(projectDirectory: project, environmentName: "dev", processEnvironment: ["STORAGE_BACKEND": "s3"])
        )
        do {
            _ = try StorageFactory.make(for: configuration)
            Issue.record("s3 without a bucket and credentials must fail")
        } catch {
            let text = error.description
            #expect(
                text.contains("S3_BUCKET") && text.contains("S3_ACCESS_KEY_ID") && text.contains("S3_SECRET_ACCESS_KEY")
            )
        }
    }
}
