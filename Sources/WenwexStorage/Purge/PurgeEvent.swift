public import Foundation

/// What a cache in front of the origin must forget: objects by tag (`Surrogate-Key` /
/// `Cache-Tag`) and by URL path. The origin publishes one whenever an object it served is
/// deleted or replaced, so no edge node or CDN keeps serving it.
public struct PurgeEvent: Sendable, Codable, Hashable {
    /// Tags, as the origin sent them in `Surrogate-Key` / `Cache-Tag` (`image-<sha256>`).
    public var tags: [String]
    /// URL paths (`/images/<sha256>.png`).
    public var paths: [String]
    /// Why, for logs (`image deleted`).
    public var reason: String
    /// When the object changed; ISO 8601 in the JSON ``HTTPPurgeSink`` sends.
    public var at: Date

    /// `paths` defaults to none (purge by tag only), `at` to now.
    public init(tags: [String], paths: [String] = [], reason: String, at: Date = Date()) {
        self.tags = tags
        self.paths = paths
        self.reason = reason
        self.at = at
    }
}

/// Somewhere purge events go: an edge node's purge API, a CDN's, a test's recorder.
public protocol PurgeSink: Sendable {
    /// Delivers one event; throws when the receiver did not accept it (the publisher retries).
    func deliver(_ event: PurgeEvent) async throws
}
