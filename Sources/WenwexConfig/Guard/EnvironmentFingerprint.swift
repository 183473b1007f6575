/// What one environment's credentials look like, declared under
/// `[environments.<name>.fingerprint]` in `wenwex.toml`.
///
/// The start-up guard compares a process's resolved credentials with every environment's
/// fingerprint: credentials that carry another environment's marks (its database host, its
/// Supabase project ref, its key prefix such as `sk_test_`) are refused before anything connects.
public struct EnvironmentFingerprint: Sendable, Hashable {
    /// Database hosts of this environment; `*` matches any run of characters (`*.prod.internal`).
    public var databaseHosts: [String]
    /// Project references (Supabase's `abcdefgh`) that appear in the host or user name.
    public var projectRefs: [String]
    /// Variable name → the prefix its value has in this environment (`STRIPE_SECRET_KEY = "sk_live_"`).
    public var keyPrefixes: [String: String]
    /// Object-storage buckets of this environment (`S3_BUCKET`); `*` as in ``databaseHosts``.
    public var storageBuckets: [String]
    /// Object-storage endpoint hosts of this environment (the host of `S3_ENDPOINT`).
    public var storageEndpoints: [String]

    /// Creates a fingerprint; the empty default declares no marks (see ``isEmpty``).
    public init(
        databaseHosts: [String] = [],
        projectRefs: [String] = [],
        keyPrefixes: [String: String] = [:],
        storageBuckets: [String] = [],
        storageEndpoints: [String] = []
    ) {
        self.databaseHosts = databaseHosts
        self.projectRefs = projectRefs
        self.keyPrefixes = keyPrefixes
        self.storageBuckets = storageBuckets
        self.storageEndpoints = storageEndpoints
    }

    /// Whether nothing is declared: the environment's own credentials then need no marks, and no
    /// credential can be recognised as belonging to it.
    public var isEmpty: Bool {
        databaseHosts.isEmpty && projectRefs.isEmpty && keyPrefixes.isEmpty && storageBuckets.isEmpty
            && storageEndpoints.isEmpty
    }

    func matchesHost(_ host: String) -> Bool {
        databaseHosts.contains { Self.glob($0, matches: host.lowercased()) }
    }

    func matchingRef(in location: DatabaseURL.PostgresLocation) -> String? {
        projectRefs.first { ref in
            location.host.lowercased().contains(ref.lowercased())
                || location.username.lowercased().contains(ref.lowercased())
        }
    }

    static func glob(_ pattern: String, matches text: String) -> Bool {
        let parts = pattern.lowercased().split(separator: "*", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return pattern.lowercased() == text }
        var rest = Substring(text)
        for (offset, part) in parts.enumerated() {
            if offset == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if offset == parts.count - 1 {
                return part.isEmpty || rest.hasSuffix(part)
            } else if let range = rest.range(of: part) {
                rest = rest[range.upperBound...]
            } else {
                return false
            }
        }
        return true
    }
}
