import Foundation
public import WenwexConfig

/// The cross-environment guard for object storage: each bucket holds a stamp object naming the
/// project and environment that own it, and a process refuses a bucket stamped for another
/// environment (on prod, also an unstamped one), exactly as it refuses such a database.
public enum StorageIdentity {
    /// Where the stamp lives in every bucket.
    public static let stampKey = try! ObjectKey(".wenwex/identity.json")

    /// The result of ``stamp(_:owner:label:)``.
    public enum Outcome: Sendable, Equatable {
        /// The bucket had no stamp; it now carries this new one.
        case stamped(IdentityStamp)
        /// The bucket was already stamped for the same project and environment; its stamp is unchanged.
        case alreadyStamped(IdentityStamp)
    }

    /// The bucket's stamp; `nil` when it has none.
    public static func read(_ store: some ObjectStore) async throws -> IdentityStamp? {
        guard try await store.head(stampKey) != nil else { return nil }
        let bytes = try await store.get(stampKey).body.collect(upTo: 64 << 10)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(IdentityStamp.self, from: Data(bytes))
    }

    /// Claims the bucket for `owner`; refuses one stamped for another project or environment.
    public static func stamp(_ store: some ObjectStore, owner: DatabaseOwner, label: String) async throws -> Outcome {
        if let existing = try await read(store) {
            if case .refused(let problem) = CrossEnvironmentGuard.verify(
                stamp: existing,
                owner: owner,
                database: label,
                noun: "bucket",
                stampCommand: "wenwex storage stamp"
            ) {
                throw ConfigurationError([problem])
            }
            return .alreadyStamped(existing)
        }
        // To the second, as the JSON keeps it, so what is returned equals what is read back.
        var stamp = owner.newStamp()
        stamp.stampedAt = Date(timeIntervalSince1970: stamp.stampedAt.timeIntervalSince1970.rounded(.down))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        _ = try await store.put(
            stampKey,
            bytes: try encoder.encode(stamp),
            options: .init(contentType: "application/json")
        )
        return .stamped(stamp)
    }

    /// The guard's verdict on the bucket for `owner`: an error refuses it, a warning (unstamped
    /// outside prod) says how to claim it.
    public static func check(_ store: some ObjectStore, owner: DatabaseOwner, label: String) async throws
        -> CrossEnvironmentGuard.Verdict
    {
        CrossEnvironmentGuard.verify(
            stamp: try await read(store),
            owner: owner,
            database: label,
            noun: "bucket",
            stampCommand: "wenwex storage stamp"
        )
    }
}
