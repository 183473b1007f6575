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

/// Loads the banned users and addresses into the ban feed at start and reconciles every few
/// seconds, so bans made through another origin instance reach this one's edge nodes too; at
/// shutdown it answers the edge nodes' waiting polls, so the server does not wait them out.
struct BanFeedRefresh: Service {
    let feed: BanFeed
    let store: MarketplaceStore
    let logger: Logger
    var interval: Duration = .seconds(5)

    func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    feed.reconcile(users: Set(try await store.bannedUserIDs().map(String.init)))
                    feed.reconcile(addresses: Set(try await store.bannedAddresses()))
                } catch {
                    logger.debug("ban feed refresh failed; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        } onGracefulShutdown: {
            feed.finish()
        }
    }
}
