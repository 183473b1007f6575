import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import JWTKit
import NIOCore
import Synchronization
import Testing
import WenwexEdge
import WenwexTestSupport

struct TestClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

func hs256(_ secret: String, user: String, expiresIn seconds: Double = 600) async throws -> String {
    let keys = JWTKeyCollection()
    await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    return try await keys.sign(
        TestClaims(sub: .init(value: user), exp: .init(value: Date().addingTimeInterval(seconds)))
    )
}

func base64URL(_ text: String) -> String {
    Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
}

@Suite("Edge guards: JWT, bans, rate limits")
struct EdgeGuardTests {
    static let secret = "edge-test-jwt-secret-0123456789abcdef"
    static let identitySecret = "edge-identity-secret-0123456789"

    @Test func forgedExpiredAndUnsignedTokensStopAtTheEdge() async throws {
        try await withEdges(guards: { _, _ in
            GuardPipeline([
                HeaderHygieneGuard(),
                await JWTGuard(
                    secret: Self.secret,
                    identity: EdgeIdentity(secret: Self.identitySecret),
                    logger: quietLogger
                ),
            ])
        }) { origin, edges in
            origin.on("/me") { _, _ in .init(headers: [.cacheControl: "no-store"], body: "me") }
            let forged = try await hs256("some-other-secret-0123456789abcdef", user: "1")
            let expired = try await hs256(Self.secret, user: "1", expiresIn: -60)
            let unsigned =
                base64URL(#"{"alg":"none","typ":"JWT"}"#) + "." + base64URL(#"{"sub":"1","exp":9999999999}"#) + "."
            for token in [forged, expired, unsigned, "not-a-jwt"] {
                let answer = try await edges[0].get("/me", [("Authorization", "Bearer \(token)")])
                #expect(answer.status == 401, "\(token.prefix(20))…")
                #expect(answer.headers["content-type"] == "application/problem+json")
            }
            #expect(origin.count("/me") == 0, "the origin saw none of them")

            let valid = try await hs256(Self.secret, user: "42")
            let answer = try await edges[0].get(
                "/me",
                [("Authorization", "Bearer \(valid)"), ("X-Wenwex-Edge-User", "1")]
            )
            #expect(answer.status == 200)
            let seen = try #require(origin.lastHeaders("/me"))
            #expect(seen[EdgeIdentity.userHeader] == "42", "the client's copy was replaced by the edge's")
            #expect(EdgeIdentity(secret: Self.identitySecret).verifiedUser(seen) == "42")
            #expect(EdgeIdentity(secret: "a-different-identity-secret").verifiedUser(seen) == nil)

            // The scheme in any case, blanks around the token (RFC 9110 §11.1).
            let spelled = try await edges[0].get("/me", [("Authorization", "bEaReR   \(valid)")])
            #expect(spelled.status == 200)
            #expect(origin.lastHeaders("/me")?[EdgeIdentity.userHeader] == "42")
            let basic = try await edges[0].get("/me", [("Authorization", "Basic dXNlcjpwYXNz")])
            #expect(basic.status == 200, "other credentials go on for the origin to judge")
            #expect(origin.lastHeaders("/me")?[EdgeIdentity.userHeader] == nil)
        }
    }

    /// The value is the HMAC the origin and other tools compute (here, Python's `hmac`):
    /// `hmac.new(secret, b"1700000000.42", sha256).hexdigest()`.
    @Test func theEdgeSignatureIsTheHMACOfTimeAndUserInLowercaseHex() {
        let identity = EdgeIdentity(secret: Self.identitySecret)
        let at = Date(timeIntervalSince1970: 1_700_000_000)
        let expected = "t=1700000000,v1=b8b458ee988527950ae0f5517362b4fc65cca3903cf8a0c4a3523b92ada51f55"
        #expect(identity.signatureValue(user: "42", at: at) == expected)
        let signed = HTTPFields(identity.headers(user: "42", at: at))
        #expect(identity.verifiedUser(signed, at: at.addingTimeInterval(59)) == "42")
        #expect(identity.verifiedUser(signed, at: at.addingTimeInterval(61)) == nil, "older than the tolerance")
    }

    @Test func aRotatedJWKSIsFetchedAgainForANewKeyID() async throws {
        let first = ES256PrivateKey()
        let second = ES256PrivateKey()
        let published = Mutex<[(String, ES256PrivateKey)]>([("k1", first)])
        @Sendable func jwks() throws -> String {
            let keys = try published.withLock { keys in
                try keys.map { kid, key -> JWK in
                    let parameters = try #require(key.publicKey.parameters)
                    return JWK.ecdsa(
                        .es256,
                        identifier: JWKIdentifier(string: kid),
                        x: parameters.x,
                        y: parameters.y,
                        curve: .p256
                    )
                }
            }
            return String(decoding: try JSONEncoder().encode(JWKS(keys: keys)), as: UTF8.self)
        }
        func token(_ key: ES256PrivateKey, kid: String, user: String) async throws -> String {
            let keys = JWTKeyCollection()
            await keys.add(ecdsa: key, kid: JWKIdentifier(string: kid))
            return try await keys.sign(
                TestClaims(sub: .init(value: user), exp: .init(value: Date().addingTimeInterval(600))),
                kid: JWKIdentifier(string: kid)
            )
        }
        let fetches = Mutex(0)
        try await withEdges(guards: { _, origin in
            GuardPipeline([
                await JWTGuard(
                    secret: nil,
                    jwksURL: origin.appendingPathComponent(".well-known/jwks.json"),
                    refreshInterval: .zero,
                    logger: quietLogger
                )
            ])
        }) { origin, edges in
            origin.on("/me") { _, _ in .init(headers: [.cacheControl: "no-store"], body: "me") }
            let currentJWKS = try jwks()
            origin.serve("/.well-known/jwks.json") { _ in
                fetches.withLock { $0 += 1 }
                let body = (try? jwks()) ?? currentJWKS
                return Response(
                    status: .ok,
                    headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: body))
                )
            }
            // The guard fetched k1 at start, before the handler was installed: fetch it now.
            let one = try await token(first, kid: "k1", user: "1")
            let before = try await edges[0].get("/me", [("Authorization", "Bearer \(one)")])
            #expect(before.status == 200)
            published.withLock { $0 = [("k2", second), ("k1", first)] }
            let two = try await token(second, kid: "k2", user: "2")
            let after = try await edges[0].get("/me", [("Authorization", "Bearer \(two)")])
            #expect(after.status == 200, "a token signed with the rotated-in key is accepted")
            let unknown = try await token(ES256PrivateKey(), kid: "k3", user: "3")
            #expect(try await edges[0].get("/me", [("Authorization", "Bearer \(unknown)")]).status == 401)
            #expect(fetches.withLock { $0 } >= 2)
        }
    }

    @Test func aBanWakesBothEdgeNodesPollsAndHoldsThere() async throws {
        let feed = BanFeed(users: ["13"])
        let stores = [BanStore(), BanStore()]
        try await withEdges(
            2,
            guards: { node, _ in
                GuardPipeline([
                    HeaderHygieneGuard(),
                    BanListGuard(store: stores[node]),
                    await JWTGuard(secret: Self.secret, bans: stores[node], logger: quietLogger),
                ])
            },
            services: { node, origin in
                [
                    BanSync(
                        store: stores[node],
                        feed: origin.appendingPathComponent("_wenwex/edge/bans"),
                        token: "test-purge-token-0123456789",
                        logger: quietLogger
                    )
                ]
            }
        ) { origin, edges in
            origin.serve("/_wenwex/edge/bans") { request in
                await feed.response(to: request, token: "test-purge-token-0123456789")
            }
            origin.on("/feed") { _, _ in .init(headers: [.cacheControl: "no-store"], body: "items") }
            try await waitUntil { stores.allSatisfy { $0.isBanned(user: "13") } }
            let banned = try await hs256(Self.secret, user: "13")
            #expect(
                try await edges[1].get("/feed", [("Authorization", "Bearer \(banned)")]).status == 403,
                "the snapshot arrived"
            )

            let user = try await hs256(Self.secret, user: "7")
            #expect(try await edges[0].get("/feed", [("Authorization", "Bearer \(user)")]).status == 200)
            // The waiting polls wake on the ban: it holds on both nodes long before their 25 s
            // wait would end (alone this takes milliseconds; a fully loaded test run stalls the
            // whole process for seconds at times, so the bound is the wait, not a second).
            let clock = ContinuousClock()
            for trial in ["7", "8", "9"] {
                let banned = clock.now
                feed.ban(user: trial)
                while !stores.allSatisfy({ $0.isBanned(user: trial) }) {
                    try #require(
                        banned.duration(to: clock.now) < .seconds(20),
                        "the ban of \(trial) did not wake the polls"
                    )
                    try await Task.sleep(for: .milliseconds(2))
                }
            }
            for edge in edges {
                let refused = try await edge.get("/feed", [("Authorization", "Bearer \(user)")])
                #expect(refused.status == 403, "the banned user is refused at the edge")
            }
            let countBefore = origin.count("/feed")
            feed.ban(address: "127.0.0.0/8")
            // As above: a loaded run stalls the process for seconds, so the bound is generous.
            try await waitUntil(timeout: .seconds(30)) { stores.allSatisfy { $0.isBanned(address: "127.0.0.1") } }
            #expect(try await edges[0].get("/feed").status == 403)
            #expect(origin.count("/feed") == countBefore, "a banned address never reached the origin")
            feed.unban(address: "127.0.0.0/8")
            for trial in ["7", "8", "9"] { feed.unban(user: trial) }
            try await waitUntil(timeout: .seconds(30)) {
                stores.allSatisfy { !$0.isBanned(address: "127.0.0.1") && !$0.isBanned(user: "7") }
            }
            #expect(try await edges[1].get("/feed", [("Authorization", "Bearer \(user)")]).status == 200)
            feed.finish()
        }
    }

    @Test func aRateLimitAllowsExactlyItsBudgetOnOneNode() async throws {
        // An hour's budget: no token comes back while a loaded test run is slow.
        let rule = RateLimitRule(
            name: "sign-in",
            method: .post,
            pathPrefix: "/auth/signin",
            scope: .address,
            limit: 5,
            seconds: 3600
        )
        try await withEdges(guards: { _, _ in GuardPipeline([RateLimitGuard(rules: [rule])]) }) { origin, edges in
            origin.on("/auth/signin") { _, _ in .init(status: .unauthorized, body: "wrong password") }
            var statuses: [UInt] = []
            var limited: EdgeHandle.Answer?
            for _ in 0..<8 {
                let answer = try await edges[0].get("/auth/signin", method: .POST)
                statuses.append(answer.status)
                if answer.status == 429 { limited = answer }
            }
            #expect(statuses == [401, 401, 401, 401, 401, 429, 429, 429])
            #expect(origin.count("/auth/signin") == 5)
            let retryAfter = try #require(limited?.headers["retry-after"].flatMap(Int.init))
            #expect((1...720).contains(retryAfter))
            #expect(limited?.headers["ratelimit-policy"] == #""sign-in";q=5;w=3600"#)
            #expect(limited?.headers["ratelimit"]?.hasPrefix(#""sign-in";r=0;t="#) == true)
            #expect(
                try await edges[0].get("/api/auth/other", method: .POST).status == 404,
                "other routes are not limited"
            )
        }
    }

    @Test(.enabled(if: DaemonAvailability.redis.shouldRun))
    func aSharedRateLimitHoldsAcrossTwoNodesThroughRedis() async throws {
        let port = try await SharedRedis.port()
        let rule = RateLimitRule(
            name: "shared-\(UUID().uuidString.prefix(8))",
            scope: .address,
            limit: 5,
            seconds: 3600
        )
        let redis = RedisClient(host: "127.0.0.1", port: port)
        try await withEdges(
            2,
            guards: { _, _ in
                GuardPipeline([
                    RateLimitGuard(rules: [rule], buckets: RedisTokenBuckets(redis: redis, logger: quietLogger))
                ])
            }
        ) { origin, edges in
            origin.on("/x") { _, _ in .init(headers: [.cacheControl: "no-store"], body: "x") }
            var allowed = 0
            for round in 0..<8 {
                if try await edges[round % 2].get("/x").status == 200 { allowed += 1 }
            }
            #expect(allowed == 5, "five in all, alternating between the nodes")
            #expect(origin.count("/x") == 5)
        }
        let reply = try await redis.send(["EXISTS", "wenwex:ratelimit:\(rule.name):a:127.0.0.1"])
        #expect(reply == .integer(1))
    }
}
