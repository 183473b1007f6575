import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import WenwexEdge
import WenwexHummingbird

/// What the edge nodes ask of the origin: the ban feed they long-poll, and the admin API for
/// address bans (user bans come from `POST /users/:id/ban`).
struct EdgeRoutes: Sendable {
    let feed: BanFeed
    /// Where address bans are recorded in the audit log.
    let store: MarketplaceStore
    let token: String?
    let settings: ServerSettings

    func register(on router: MarketplaceRouter) {
        router.get("_wenwex/edge/bans") { request, _ in
            await feed.response(to: request, token: token)
        }
        router.post("admin/address-bans") { request, context in try await addressBan(request, context, ban: true) }
        router.delete("admin/address-bans") { request, context in try await addressBan(request, context, ban: false) }
    }

    /// `{"address": "203.0.113.7"}` or a CIDR range. Stored in `address_bans` first, then sent
    /// to this origin's edge nodes at once; other origin instances publish it at their next
    /// reconcile (``BanFeedRefresh``), and a restarted origin loads it again.
    func addressBan(_ request: Request, _ context: MarketplaceRequestContext, ban: Bool) async throws -> Response {
        let identity = try context.requireIdentity()
        guard identity.isAdmin else { throw Problem.forbidden("Only admins can ban addresses.") }
        let input = try await request.jsonFields(limit: settings.maxJSONBytes)
        var errors = FieldErrors()
        let address = input.string("address", &errors)
        if address == nil { errors.add("address", "is required") }
        try errors.throwIfAny()
        guard let address else { return Response(status: .badRequest) }
        if ban {
            guard BanFeed.isAddressOrRange(address) else {
                errors.add("address", "is not an IPv4 or IPv6 address or CIDR range (e.g. 203.0.113.0/24)")
                try errors.throwIfAny()
                return Response(status: .badRequest)
            }
            try await store.setAddressBanned(address, true)
            feed.ban(address: address)
        } else {
            try await store.setAddressBanned(address, false)
            feed.unban(address: address)
        }
        try await store.audit(actor: identity, action: ban ? "ban address" : "unban address", target: address)
        return Response(status: .noContent)
    }
}

/// Keeps this instance's ban feed in step with the database, which every origin instance
/// writes: at start it loads every ban and notes the newest `ban_changes` row, then every
/// `tailInterval` it publishes the changes logged after that row (another instance's bans
/// within a second, not at the next full reload), and every `reloadInterval` it reconciles with
/// the whole state as a safety net. At shutdown it answers the edge nodes' waiting polls, so
/// the server does not wait them out.
struct BanFeedRefresh: Service {
    let feed: BanFeed
    let store: MarketplaceStore
    let logger: Logger
    var tailInterval: Duration = .milliseconds(250)
    var reloadInterval: Duration = .seconds(60)

    func run() async throws {
        await withGracefulShutdownHandler {
            var cursor: Int?
            var lastReload: ContinuousClock.Instant?
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    if cursor == nil || lastReload.map({ $0.duration(to: .now) >= reloadInterval }) ?? true {
                        // The cursor is read before the state, so a change made in between is
                        // published again by the tail, harmlessly, rather than missed.
                        let latest = try await store.latestBanChange()
                        try await reload()
                        if cursor == nil { cursor = latest }
                        lastReload = .now
                        try await store.pruneBanChanges()
                    }
                    cursor = try await tail(after: cursor ?? 0)
                } catch {
                    logger.debug("ban feed refresh failed; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: tailInterval)
            }
        } onGracefulShutdown: {
            feed.finish()
        }
    }

    private func reload() async throws {
        feed.reconcile(users: Set(try await store.bannedUserIDs().map(String.init)))
        feed.reconcile(addresses: Set(try await store.bannedAddresses()))
    }

    /// How far back each tail reads again: a change can commit after a newer one (ids are
    /// handed out at insert, not at commit), and would be skipped if the tail only read past
    /// the newest id it saw.
    static let overlap = 1000

    /// Publishes the changes logged after `cursor` (and the `overlap` before it), the newest
    /// one per user or address only, so reading a change again never makes a ban flicker and
    /// the feed ignores what it already holds, such as this instance's own bans. The new cursor.
    private func tail(after cursor: Int) async throws -> Int {
        var cursor = cursor
        var from = max(cursor - Self.overlap, 0)
        while true {
            let page = 10_000
            let changes = try await store.banChanges(after: from, limit: page)
            var newest: [String: MarketplaceStore.BanChange] = [:]
            for change in changes { newest[change.kind.rawValue + " " + change.subject] = change }
            for change in newest.values.sorted(by: { $0.id < $1.id }) {
                switch (change.kind, change.banned) {
                case (.user, true): feed.ban(user: change.subject)
                case (.user, false): feed.unban(user: change.subject)
                case (.address, true): feed.ban(address: change.subject)
                case (.address, false): feed.unban(address: change.subject)
                }
            }
            cursor = max(cursor, changes.last?.id ?? cursor)
            guard changes.count == page, let last = changes.last else { return cursor }
            from = last.id
        }
    }
}
