import HummingbirdBcrypt
import NIOPosix

/// bcrypt on NIO's blocking thread pool: a hash takes tens of milliseconds by design, which
/// must not stall the event loops or the cooperative executor serving other requests.
struct PasswordHasher: Sendable {
    let cost: Int

    /// bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut.
    static let maxBytes = 72
    static let minCharacters = 8

    /// A hash of a random password at the same cost, verified against when an email is unknown
    /// so that sign-in takes as long for a missing account as for a wrong password.
    let decoyHash: String

    init(cost: Int) {
        self.cost = cost
        self.decoyHash = Bcrypt.hash(ServerSettings.randomSecret(), cost: UInt8(clamping: cost))
    }

    func hash(_ password: String) async throws -> String {
        let cost = UInt8(clamping: cost)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
