import WenwexRouting
import WenwexSQL

/// Bans as the database keeps them: the state (`users.banned`, `address_bans`) and the log of
/// changes (`ban_changes`) every origin instance tails, so a ban made through one instance
/// reaches the edge nodes of all of them within a second instead of at the next full reload.
extension MarketplaceStore {
    /// One row of `ban_changes`.
    struct BanChange: Sendable, Hashable {
        enum Kind: String, Sendable {
            case user, address
        }

        var id: Int
        var kind: Kind
        /// The user's id, or the address or range.
        var subject: String
        var banned: Bool
    }

    /// How many of the newest changes the log keeps; an instance that missed pruned ones is set
    /// right by its next full reload (`BanFeedRefresh`).
    static let retainedBanChanges = 100_000

    /// The ids of every banned user, for the edge nodes' ban list.
    func bannedUserIDs() async throws -> [Int] {
        try await database.read(after: nil) { session in
            try await session.query("SELECT id FROM users WHERE banned = $1", [.bool(true)]).compactMap {
                $0["id"].integer
            }
        }
    }

    /// Every banned address and range, for the edge nodes' ban list.
    func bannedAddresses() async throws -> [String] {
        try await database.read(after: nil) { session in
            try await session.query("SELECT address FROM address_bans", []).compactMap { $0["address"].text }
        }
    }

    /// Records an address ban (again, harmlessly, when it exists), or removes one, and logs it.
    func setAddressBanned(_ address: String, _ banned: Bool) async throws {
        _ = try await database.transaction { session in
            if banned {
                try await session.execute(
                    "INSERT INTO address_bans (address) VALUES ($1) ON CONFLICT (address) DO NOTHING",
                    [.text(address)]
                )
            } else {
                try await session.execute("DELETE FROM address_bans WHERE address = $1", [.text(address)])
            }
            try await Self.log(.address, address, banned, on: session)
        }
    }

    /// Bans or un-bans a user and logs it; `false` when there is no such user.
    func setBanned(id: Int, _ banned: Bool) async throws -> Written<Bool> {
        try await database.transaction { session in
            let found = try await !session.query(
                "UPDATE users SET banned = $1, updated_at = CURRENT_TIMESTAMP WHERE id = $2 RETURNING id",
                [.bool(banned), .integer(id)]
            ).isEmpty
            if found { try await Self.log(.user, String(id), banned, on: session) }
            return found
        }
    }

    /// The newest change's id (0 for an empty log), where a starting instance begins to tail.
    /// Like every read here it may come from a replica: one that lags only delays a change by
    /// its lag, since the tail reads an overlap again (`BanFeedRefresh`).
    func latestBanChange() async throws -> Int {
        try await database.read(after: nil) { session in
            try await session.query("SELECT max(id) AS id FROM ban_changes", []).first?["id"].integer ?? 0
        }
    }

    /// The changes after `id`, oldest first, at most `limit` of them.
    func banChanges(after id: Int, limit: Int) async throws -> [BanChange] {
        try await database.read(after: nil) { session in
            try await session.query(
                "SELECT id, kind, subject, banned FROM ban_changes WHERE id > $1 ORDER BY id LIMIT \(limit)",
                [.integer(id)]
            ).compactMap { row in
                guard let id = row["id"].integer, let kind = row["kind"].text.flatMap(BanChange.Kind.init),
                    let subject = row["subject"].text
                else { return nil }
                return BanChange(id: id, kind: kind, subject: subject, banned: row["banned"].isTrue)
            }
        }
    }

    /// Removes all but the newest ``retainedBanChanges`` changes.
    func pruneBanChanges() async throws {
        _ = try await database.write { session in
            try await session.execute(
                "DELETE FROM ban_changes WHERE id <= (SELECT max(id) FROM ban_changes) - $1",
                [.integer(Self.retainedBanChanges)]
            )
        }
    }

    private static func log(_ kind: BanChange.Kind, _ subject: String, _ banned: Bool, on session: any SQLSession)
        async throws
    {
        try await session.execute(
            "INSERT INTO ban_changes (kind, subject, banned) VALUES ($1, $2, $3)",
            [.text(kind.rawValue), .text(subject), .bool(banned)]
        )
    }
}
