import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore
import Synchronization

/// One change to the ban list, or a whole list, as the origin's ban feed sends it.
///
/// `epoch` names the feed's lifetime (a new one each time the origin starts): a node that sees
/// another epoch, or asks for a version the feed no longer keeps, receives a snapshot.
public struct BanUpdate: Sendable, Codable, Equatable {
    public var epoch: String
    public var version: Int
    /// `true`: `users` and `addresses` are the whole list; `false`: changes since the version asked.
    public var snapshot: Bool
    public var users: [String] = []
    public var addresses: [String] = []
    public var removedUsers: [String] = []
    public var removedAddresses: [String] = []

    public init(epoch: String, version: Int, snapshot: Bool) {
        self.epoch = epoch
        self.version = version
        self.snapshot = snapshot
    }

    /// Applies the update to `list`; a snapshot replaces it.
    public func apply(to list: inout BanList) {
        if snapshot { list = BanList() }
        for user in users { list.ban(user: user) }
        for address in addresses { list.ban(address: address) }
        for user in removedUsers { list.unban(user: user) }
        for address in removedAddresses { list.unban(address: address) }
    }
}

/// The origin side of ban sync: a versioned log of ban and un-ban changes that edge nodes
/// long-poll (`GET /_wenwex/edge/bans?epoch=E&since=V`).
///
/// The origin publishes every change as its admin API makes it; waiting polls wake at once,
/// which is how a ban reaches every edge node within a second. The log keeps the last
/// `retained` changes; a node further behind gets a snapshot.
public final class BanFeed: Sendable {
    public let epoch: String
    private let retained: Int
    private let state: Mutex<State>

    struct State {
        var users: Set<String> = []
        var addresses: Set<String> = []
        var version = 0
        var changes: [(version: Int, change: Change)] = []
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
        var finished = false
    }

    enum Change {
        case banUser(String), unbanUser(String), banAddress(String), unbanAddress(String)
    }

    public init(users: [String] = [], addresses: [String] = [], retained: Int = 10_000) {
        epoch = UUID().uuidString.lowercased()
        self.retained = retained
        var state = State()
        state.users = Set(users)
        state.addresses = Set(addresses)
        state.version = 1
        self.state = Mutex(state)
    }

    /// The current version.
    public var version: Int { state.withLock { $0.version } }

    public func ban(user: String) { publish(.banUser(user)) }
    public func unban(user: String) { publish(.unbanUser(user)) }

    /// Whether `entry` is an IPv4 or IPv6 address or CIDR range a ban can hold.
    public static func isAddressOrRange(_ entry: String) -> Bool {
        IPAddressBits.parseEntry(entry) != nil
    }

    /// Bans an address or CIDR range; `false` (nothing published) when it is neither.
    @discardableResult
    public func ban(address: String) -> Bool {
        guard IPAddressBits.parseEntry(address) != nil else { return false }
        publish(.banAddress(address))
        return true
    }

    public func unban(address: String) { publish(.unbanAddress(address)) }

    /// Replaces the user bans with `users`, publishing only the differences (used when the
    /// origin reloads the list from its database, which other origin instances also change).
    public func reconcile(users: Set<String>) {
        let current = state.withLock { $0.users }
        for user in users.subtracting(current) { publish(.banUser(user)) }
        for user in current.subtracting(users) { publish(.unbanUser(user)) }
    }

    /// Replaces the address bans with `addresses` the same way (entries that are not an address
    /// or range are skipped).
    public func reconcile(addresses: Set<String>) {
        let current = state.withLock { $0.addresses }
        for address in addresses.subtracting(current) { ban(address: address) }
        for address in current.subtracting(addresses) { publish(.unbanAddress(address)) }
    }

    private func publish(_ change: Change) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            switch change {
            case .banUser(let user):
                guard state.users.insert(user).inserted else { return [] }
            case .unbanUser(let user):
                guard state.users.remove(user) != nil else { return [] }
            case .banAddress(let address):
                guard state.addresses.insert(address).inserted else { return [] }
            case .unbanAddress(let address):
                guard state.addresses.remove(address) != nil else { return [] }
            }
            state.version += 1
            state.changes.append((state.version, change))
            if state.changes.count > retained { state.changes.removeFirst(state.changes.count - retained) }
            let waiting = Array(state.waiters.values)
            state.waiters = [:]
            return waiting
        }
        waiters.forEach { $0.resume() }
    }

    /// Answers every waiting poll now and every later one at once: call it when the origin
    /// shuts down, so a graceful shutdown does not wait out the edge nodes' long polls.
    public func finish() {
        let waiters = state.withLock { state in
            state.finished = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// What a node at (`epoch`, `since`) needs: the changes after `since`, or a snapshot; waits
    /// up to `wait` for a change when there is none yet.
    public func update(epoch: String?, since: Int?, wait: Duration) async -> BanUpdate {
        if let answer = immediate(epoch: epoch, since: since) { return answer }
        let id = UUID()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let registered = self.state.withLock { state -> Bool in
                        guard state.version == since, !state.finished else { return false }
                        state.waiters[id] = continuation
                        return true
                    }
                    if !registered { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: wait)
                let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
                waiter?.resume()
            }
            await group.next()
            group.cancelAll()
            await group.waitForAll()
        }
        return immediate(epoch: epoch, since: since)
            ?? BanUpdate(epoch: self.epoch, version: since ?? 0, snapshot: false)
    }

    /// Changes or a snapshot when there is something new, `nil` when the node is current.
    private func immediate(epoch: String?, since: Int?) -> BanUpdate? {
        state.withLock { state in
            // Deltas are complete from the version before the oldest change kept.
            let completeFrom = min((state.changes.first?.version ?? state.version + 1) - 1, state.version)
            guard epoch == self.epoch, let since, since <= state.version, since >= completeFrom else {
                var snapshot = BanUpdate(epoch: self.epoch, version: state.version, snapshot: true)
                snapshot.users = state.users.sorted()
                snapshot.addresses = state.addresses.sorted()
                return snapshot
            }
            guard since < state.version else { return nil }
            // The net effect of the changes, each key at its current state: a ban lifted and
            // imposed again is a ban.
            var update = BanUpdate(epoch: self.epoch, version: state.version, snapshot: false)
            var touchedUsers: Set<String> = []
            var touchedAddresses: Set<String> = []
            for (version, change) in state.changes where version > since {
                switch change {
                case .banUser(let user), .unbanUser(let user): touchedUsers.insert(user)
                case .banAddress(let address), .unbanAddress(let address): touchedAddresses.insert(address)
                }
            }
            for user in touchedUsers.sorted() {
                if state.users.contains(user) { update.users.append(user) } else { update.removedUsers.append(user) }
            }
            for address in touchedAddresses.sorted() {
                if state.addresses.contains(address) {
                    update.addresses.append(address)
                } else {
                    update.removedAddresses.append(address)
                }
            }
            return update
        }
    }
}

extension BanFeed {
    /// The header an edge node presents its token in. Not `Authorization`, which the origin's
    /// own authentication reads as a user's session.
    public static let tokenHeader = "X-Wenwex-Edge-Token"

    /// Answers an edge node's poll, `GET …?epoch=E&since=V&wait=S` with the edge token in
    /// ``tokenHeader``: any Hummingbird origin routes its ban-feed path here.
    public func response(to request: Request, token: String?) async -> Response {
        let presented = request.headers[HTTPField.Name(Self.tokenHeader)!]
        guard let token, let presented, SecretComparison.equal(presented, token) else {
            return Self.json(
                .unauthorized,
                Data(#"{"detail":"Send the edge token (EDGE_PURGE_TOKEN) in X-Wenwex-Edge-Token."}"#.utf8)
            )
        }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let wait = min(max(Double(query["wait"] ?? "") ?? 25, 0), 60)
        let update = await update(
            epoch: query["epoch"],
            since: query["since"].flatMap { Int($0) },
            wait: .milliseconds(Int(wait * 1000))
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Self.json(.ok, (try? encoder.encode(update)) ?? Data("{}".utf8))
    }

    private static func json(_ status: HTTPResponse.Status, _ body: Data) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
