import Crypto
public import Foundation
public import HTTPTypes

/// The user an edge node verified, carried to the origin in headers only edge nodes can sign:
/// `X-Wenwex-Edge-User: 42` and `X-Wenwex-Edge-Signature: t=<unix>,v1=<hex HMAC-SHA256 of
/// "<t>.<user>">`.
///
/// The origin accepts them only with a valid, recent signature from a peer it lists as an edge
/// node; ``HeaderHygieneGuard`` removes any copy a client sent, and the origin's own token and
/// ban checks stay as defence in depth.
public struct EdgeIdentity: Sendable {
    private let key: SymmetricKey
    /// How old a signature may be when the origin checks it.
    public var tolerance: TimeInterval = 60

    /// `secret` is shared by the origin and every edge node (`EDGE_IDENTITY_SECRET`).
    public init(secret: String) {
        key = SymmetricKey(data: Data(secret.utf8))
    }

    public static let userHeader = HTTPField.Name("X-Wenwex-Edge-User")!
    public static let signatureHeader = HTTPField.Name("X-Wenwex-Edge-Signature")!

    /// The two headers for `user`, signed now.
    public func headers(user: String, at now: Date = Date()) -> [HTTPField] {
        [
            HTTPField(name: Self.userHeader, value: user),
            HTTPField(name: Self.signatureHeader, value: signatureValue(user: user, at: now)),
        ]
    }

    /// The `X-Wenwex-Edge-Signature` value for `user`, signed now.
    public func signatureValue(user: String, at now: Date = Date()) -> String {
        let time = Int(now.timeIntervalSince1970)
        return "t=\(time),v1=\(signature(user: user, time: time))"
    }

    /// The user the headers name when their signature is valid and recent, else `nil`.
    public func verifiedUser(_ headers: HTTPFields, at now: Date = Date()) -> String? {
        guard let user = headers[Self.userHeader], let signed = headers[Self.signatureHeader] else { return nil }
        var time: Int?
        var mac: String?
        for part in signed.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { time = Int(pair[1]) }
            if pair[0] == "v1" { mac = String(pair[1]) }
        }
        guard let time, let mac, abs(now.timeIntervalSince1970 - Double(time)) <= tolerance else { return nil }
        let expected = signature(user: user, time: time)
        guard SecretComparison.equal(expected, mac) else { return nil }
        return user
    }

    private func signature(user: String, time: Int) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("\(time).\(user)".utf8), using: key)
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 2 * SHA256.byteCount) { text in
            var count = 0
            for byte in code {
                text[count] = digits[Int(byte >> 4)]
                text[count + 1] = digits[Int(byte & 0x0f)]
                count += 2
            }
            return count
        }
    }
}
