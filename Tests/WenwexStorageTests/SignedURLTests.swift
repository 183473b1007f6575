import Foundation
import Testing
import WenwexStorage

@Suite struct SignedURLTests {
    static let old = URLSigner.Key(id: "k1", secret: Array(repeating: UInt8(1), count: 32))
    static let new = URLSigner.Key(id: "k2", secret: Array(repeating: UInt8(2), count: 32))
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func parameters(_ url: String) -> [String: String] {
        let query = url.split(separator: "?", maxSplits: 1).last.map(String.init) ?? ""
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { result[parts[0]] = parts[1] }
        }
        return result
    }

    @Test func aSignedURLVerifiesUntilItExpires() throws {
        let signer = URLSigner(keys: [Self.old])
        let expires = URLSigner.expiry(validFor: .seconds(600), now: Self.now)
        let url = signer.sign(path: "/storage/private/a.png", expires: expires)
        try signer.verify(path: "/storage/private/a.png", parameters: Self.parameters(url), now: Self.now)
        #expect(throws: URLSigner.Refusal.expired) {
            try signer.verify(
                path: "/storage/private/a.png",
                parameters: Self.parameters(url),
                now: Date(timeIntervalSince1970: Double(expires + 1))
            )
        }
    }

    @Test func tamperingWithAnyPartIsRefused() throws {
        let signer = URLSigner(keys: [Self.old])
        let expires = URLSigner.expiry(validFor: .seconds(600), now: Self.now)
        let parameters = Self.parameters(signer.sign(path: "/storage/private/a.png", expires: expires))
        #expect(throws: URLSigner.Refusal.badSignature) {
            try signer.verify(path: "/storage/private/b.png", parameters: parameters, now: Self.now)
        }
        #expect(throws: URLSigner.Refusal.badSignature) {
            try signer.verify(method: "DELETE", path: "/storage/private/a.png", parameters: parameters, now: Self.now)
        }
        var later = parameters
        later["expires"] = String(expires + 86_400)
        #expect(throws: URLSigner.Refusal.badSignature) {
            try signer.verify(path: "/storage/private/a.png", parameters: later, now: Self.now)
        }
        var forged = parameters
        forged["sig"] = "AAAA" + (parameters["sig"] ?? "").dropFirst(4)
        #expect(throws: URLSigner.Refusal.badSignature) {
            try signer.verify(path: "/storage/private/a.png", parameters: forged, now: Self.now)
        }
        #expect(throws: URLSigner.Refusal.missingParameters) {
            try signer.verify(path: "/storage/private/a.png", parameters: [:], now: Self.now)
        }
    }

    @Test func duringRotationBothKeysVerifyAndTheNewOneSigns() throws {
        let before = URLSigner(keys: [Self.old])
        let during = URLSigner(keys: [Self.new, Self.old])
        let after = URLSigner(keys: [Self.new])
        let expires = URLSigner.expiry(validFor: .seconds(600), now: Self.now)
        let issuedBefore = Self.parameters(before.sign(path: "/p", expires: expires))
        try during.verify(path: "/p", parameters: issuedBefore, now: Self.now)
        #expect(Self.parameters(during.sign(path: "/p", expires: expires))["kid"] == "k2")
        #expect(throws: URLSigner.Refusal.unknownKey("k1")) {
            try after.verify(path: "/p", parameters: issuedBefore, now: Self.now)
        }
    }

    @Test func urlsSignedWithinOneWindowAreIdenticalSoTheyCache() {
        let signer = URLSigner(keys: [Self.old])
        // Both requests fall in the same 300 s window of expiries.
        let first = URLSigner.expiry(validFor: .seconds(600), granularity: .seconds(300), now: Self.now + 1)
        let second = URLSigner.expiry(validFor: .seconds(600), granularity: .seconds(300), now: Self.now + 101)
        #expect(first == second)
        #expect(first % 300 == 0)
        #expect(Double(first) >= Self.now.timeIntervalSince1970 + 600)
        #expect(signer.sign(path: "/p", expires: first) == signer.sign(path: "/p", expires: second))
    }
}
