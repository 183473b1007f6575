import Foundation
import WenwexRouting
import WenwexSQL

/// The marketplace's data access: one SQL text per query that runs on PostgreSQL and SQLite
/// alike, through the router, so reads go to replicas and writes to the primary.
///
/// Portability rules used throughout: `$n` parameters, `RETURNING`, decimals written as
/// `CAST($n AS DECIMAL(…))` (PostgreSQL will not assign text to numeric; SQLite ignores the
/// cast's precision), timestamps set with `CURRENT_TIMESTAMP`.
struct MarketplaceStore: Sendable {
    let database: any DatabaseRouter

    /// Problems the store detects that are the client's to fix.
    enum Failure: Error, Equatable {
        case emailTaken
        case unknownReferralCode
        case notFound
    }

    static let userColumns =
        "id, email, name, role, banned, referral_code, referred_by_id, created_at"

    // MARK: Users

    func createUser(
        email: String,
        name: String?,
        passwordHash: String,
        referralCode: String,
        referredBy code: String?
    ) async throws -> Written<UserView> {
        try await database.transaction { session in
            if try await !session.query("SELECT 1 FROM users WHERE email = $1", [.text(email)]).isEmpty {
                throw Failure.emailTaken
            }
            var referrer: SQLValue = .null
            if let code {
                guard
                    let row = try await session.query(
                        "SELECT id FROM users WHERE referral_code = $1",
                        [.text(code)]
                    ).first
                else { throw Failure.unknownReferralCode }
                referrer = row["id"]
            }
            let rows = try await session.query(
                """
                INSERT INTO users (email, name, password_hash, referral_code, referred_by_id, updated_at)
                VALUES ($1, $2, $3, $4, $5, CURRENT_TIMESTAMP)
                RETURNING \(Self.userColumns)
                """,
                [.text(email), name.map(SQLValue.text) ?? .null, .text(passwordHash), .text(referralCode), referrer]
            )
            return Self.user(rows[0], private: true, referralCount: 0)
        }
    }

    /// The account for a sign-in, read on the primary: a ban or a password change must hold
    /// from the moment it commits, not from when a replica has replayed it.
    func accountForSignIn(email: String) async throws -> Account? {
        try await database.write { session in
            try await session.query(
                "SELECT id, email, password_hash, role, banned FROM users WHERE email = $1",
                [.text(email)]
            ).first.map(Self.account)
        }.value
    }

    func account(id: Int, after token: ConsistencyToken?) async throws -> Account? {
        try await database.read(after: token) { session in
            try await session.query(
                "SELECT id, email, password_hash, role, banned FROM users WHERE id = $1",
                [.integer(id)]
            ).first.map(Self.account)
        }
    }

    /// A user; the private fields only when `private` (the user themself, or an admin).
    func user(id: Int, private: Bool, after token: ConsistencyToken?) async throws -> UserView? {
        try await database.read(after: token) { session in
            guard
                let row = try await session.query(
                    "SELECT \(Self.userColumns) FROM users WHERE id = $1",
                    [.integer(id)]
                ).first
            else { return nil }
            let count =
                `private`
                ? try await session.query("SELECT COUNT(*) AS n FROM users WHERE referred_by_id = $1", [.integer(id)])
                    .first?["n"].integer ?? 0 : nil
            return Self.user(row, private: `private`, referralCount: count)
        }
    }

    func updateUser(id: Int, name: String??, passwordHash: String?) async throws -> Written<Void> {
        try await database.transaction { session in
            if case .some(let name) = name {
                try await session.execute(
                    "UPDATE users SET name = $1, updated_at = CURRENT_TIMESTAMP WHERE id = $2",
                    [name.map(SQLValue.text) ?? .null, .integer(id)]
                )
            }
            if let passwordHash {
                try await session.execute(
                    "UPDATE users SET password_hash = $1, updated_at = CURRENT_TIMESTAMP WHERE id = $2",
                    [.text(passwordHash), .integer(id)]
                )
            }
        }
    }

    static func account(_ row: SQLRow) -> Account {
        Account(
            id: row["id"].integer ?? 0,
            email: row["email"].text ?? "",
            passwordHash: row["password_hash"].text ?? "",
            role: Identity.Role(rawValue: row["role"].text ?? "") ?? .user,
            banned: row["banned"].isTrue
        )
    }

    static func user(_ row: SQLRow, private: Bool, referralCount: Int?) -> UserView {
        UserView(
            id: row["id"].integer ?? 0,
            name: row["name"].text,
            role: row["role"].text ?? "USER",
            createdAt: Timestamp.iso8601(row["created_at"]) ?? "",
            email: `private` ? row["email"].text : nil,
            referralCode: `private` ? row["referral_code"].text : nil,
            referredById: `private` ? row["referred_by_id"].integer : nil,
            referralCount: `private` ? referralCount : nil,
            banned: `private` ? row["banned"].isTrue : nil
        )
    }
}
