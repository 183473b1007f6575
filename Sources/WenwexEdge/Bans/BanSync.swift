public import AsyncHTTPClient
public import Foundation
public import Logging
import NIOCore
public import ServiceLifecycle
import Synchronization

/// The ban list an edge node enforces, shared by its guard and its sync loop.
public final class BanStore: Sendable {
    private let list: Mutex<BanList>
    private let position = Mutex<(epoch: String?, version: Int?)>((nil, nil))

    public init(_ list: BanList = BanList()) {
        self.list = Mutex(list)
    }

    public func isBanned(user: String) -> Bool { list.withLock { $0.isBanned(user: user) } }
    public func isBanned(address: String) -> Bool { list.withLock { $0.isBanned(address: address) } }
    public var count: Int { list.withLock { $0.count } }

    /// The feed position this node has applied.
    public var applied: (epoch: String?, version: Int?) { position.withLock { $0 } }

    public func apply(_ update: BanUpdate) {
        list.withLock { update.apply(to: &$0) }
        position.withLock { $0 = (update.epoch, update.version) }
    }
}

/// Keeps a ``BanStore`` in step with the origin's ``BanFeed`` by long-polling it: a change on
/// the origin wakes the waiting poll, so it reaches this node in one round trip.
public struct BanSync: Service {
    let store: BanStore
    let feedURL: String
    let token: String
    let client: HTTPClient
    let logger: Logger
    let pollSeconds: Int

    /// `feed` is the origin's ban-feed URL (`http://origin/_wenwex/edge/bans`).
    public init(
        store: BanStore,
        feed: URL,
        token: String,
        pollSeconds: Int = 25,
        client: HTTPClient = .shared,
        logger: Logger
    ) {
        self.pollSeconds = pollSeconds
        self.store = store
        self.feedURL = feed.absoluteString
        self.token = token
        self.client = client
        self.logger = logger
    }

    public func run() async throws {
        var backoff = Duration.milliseconds(250)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let before = store.applied.version
                let started = ContinuousClock.now
                try await cancelWhenGracefulShutdown { try await pollOnce(wait: pollSeconds) }
                backoff = .milliseconds(250)
                // A feed that answers at once with nothing new (it is shutting down) must not
                // be polled in a tight loop.
                if store.applied.version == before, ContinuousClock.now - started < .milliseconds(100) {
                    try? await Task.sleep(for: .milliseconds(500))
                }
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                logger.warning("ban feed unreachable; retrying", metadata: ["error": "\(error)", "feed": "\(feedURL)"])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(10))
            }
        }
    }

    /// One poll: applies what the feed answers (changes, a snapshot, or nothing after the wait).
    public func pollOnce(wait seconds: Int = 25) async throws {
        let (epoch, version) = store.applied
        var url = feedURL + "?wait=\(seconds)"
        if let epoch, let version { url += "&epoch=\(epoch)&since=\(version)" }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: BanFeed.tokenHeader, value: token)
        let response = try await client.execute(request, timeout: .seconds(Int64(seconds + 10)))
        let body = try await response.body.collect(upTo: 256 << 20)
        guard response.status == .ok else {
            throw BanSyncError(status: Int(response.status.code))
        }
        store.apply(try JSONDecoder().decode(BanUpdate.self, from: Data(body.readableBytesView)))
    }
}

struct BanSyncError: Error, CustomStringConvertible {
    var status: Int
    var description: String { "the ban feed answered \(status)" + (status == 401 ? " (check EDGE_PURGE_TOKEN)" : "") }
}
