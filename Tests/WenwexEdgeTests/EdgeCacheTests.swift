import AsyncHTTPClient
import Foundation
import HTTPTypes
import Testing
import WenwexEdge
import WenwexTestSupport

/// The edge's shared cache against a real origin on loopback (RFC 9111).
@Suite("Edge cache")
struct EdgeCacheTests {
    @Test func aMissIsFetchedOnceThenHitsCarryAge() async throws {
        try await withEdges { origin, edges in
            origin.on("/a") { _, count in .init(headers: [.cacheControl: "max-age=60"], body: "v\(count)") }
            let first = try await edges[0].get("/a")
            let second = try await edges[0].get("/a")
            #expect(first.body == "v1")
            #expect(second.body == "v1", "the second answer came from the cache")
            #expect(second.headers["age"] != nil)
            #expect(origin.count("/a") == 1)
        }
    }

    @Test func aStaleEntryIsRevalidatedAndA304RefreshesIt() async throws {
        try await withEdges { origin, edges in
            origin.on("/r") { request, count in
                if request[.ifNoneMatch] == #""v1""# {
                    return .init(
                        status: .notModified,
                        headers: [.eTag: #""v1""#, .cacheControl: "max-age=60", HTTPField.Name("X-Round")!: "\(count)"]
                    )
                }
                return .init(
                    headers: [.eTag: #""v1""#, .cacheControl: "max-age=0", HTTPField.Name("X-Round")!: "\(count)"],
                    body: "body"
                )
            }
            _ = try await edges[0].get("/r")
            let revalidated = try await edges[0].get("/r")
            #expect(revalidated.status == 200)
            #expect(revalidated.body == "body", "a 304 keeps the stored body")
            #expect(revalidated.headers["x-round"] == "2", "and takes the 304's headers")
            let fresh = try await edges[0].get("/r")
            #expect(fresh.headers["x-round"] == "2")
            #expect(origin.count("/r") == 2, "the refreshed max-age=60 holds")
        }
    }

    @Test func staleWhileRevalidateAnswersAtOnceAndRefreshesBehind() async throws {
        try await withEdges { origin, edges in
            origin.on("/s") { _, count in
                .init(
                    headers: [.cacheControl: "max-age=1, stale-while-revalidate=60"],
                    body: "v\(count)",
                    delay: count > 1 ? .seconds(12) : .zero
                )
            }
            _ = try await edges[0].get("/s")
            try await Task.sleep(for: .milliseconds(1_100))
            let clock = ContinuousClock()
            var stale: EdgeHandle.Answer?
            let took = try await clock.measure { stale = try await edges[0].get("/s") }
            #expect(stale?.body == "v1")
            // The origin is slow enough that a stall of a loaded test run (seconds) cannot pass for it.
            #expect(took < .seconds(6), "served without waiting for the 12 s origin: \(took)")
            try await waitUntil(timeout: .seconds(60)) { origin.count("/s") == 2 }
            try await waitUntil(timeout: .seconds(60)) { try await edges[0].get("/s").body == "v2" }
        }
    }

    @Test func theOriginFailingOrGoneServesStaleWhereAllowed() async throws {
        try await withEdges { origin, edges in
            origin.on("/e") { _, count in
                count == 1
                    ? .init(headers: [.cacheControl: "max-age=0, stale-if-error=60"], body: "good")
                    : .init(status: .serviceUnavailable, body: "down")
            }
            origin.on("/m") { _, count in
                count == 1
                    ? .init(headers: [.cacheControl: "max-age=0, must-revalidate"], body: "good")
                    : .init(status: .serviceUnavailable, body: "down")
            }
            _ = try await edges[0].get("/e")
            _ = try await edges[0].get("/m")
            let stale = try await edges[0].get("/e")
            #expect(stale.status == 200 && stale.body == "good")
            let strict = try await edges[0].get("/m")
            #expect(strict.status == 503, "must-revalidate never serves stale")
        }
    }

    @Test func anOriginThatStopsAnsweringMeansStaleContentNotErrors() async throws {
        try await withEdges(configure: { $0.originTimeoutSeconds = 3 }) { origin, edges in
            origin.on("/gone") { _, count in
                .init(
                    headers: [.cacheControl: "max-age=0", .eTag: #""x""#],
                    body: "kept",
                    delay: count > 1 ? .seconds(10) : .zero
                )
            }
            _ = try await edges[0].get("/gone")
            let answer = try await edges[0].get("/gone")
            #expect(answer.status == 200 && answer.body == "kept", "a timed-out origin means stale, not an error")
        }
    }

    @Test func varyKeepsOneVariantPerSelectingHeader() async throws {
        try await withEdges { origin, edges in
            origin.on("/v") { request, _ in
                .init(
                    headers: [.cacheControl: "max-age=60", .vary: "Accept-Language"],
                    body: request[.acceptLanguage] ?? "none"
                )
            }
            let french = try await edges[0].get("/v", [("Accept-Language", "fr")])
            let german = try await edges[0].get("/v", [("Accept-Language", "de")])
            let frenchAgain = try await edges[0].get("/v", [("Accept-Language", "fr")])
            #expect([french.body, german.body, frenchAgain.body] == ["fr", "de", "fr"])
            #expect(origin.count("/v") == 2)
        }
    }

    @Test func requestsThatMeanTheSameSelectTheSameVariant() async throws {
        try await withEdges { origin, edges in
            origin.on("/n") { request, _ in
                .init(
                    headers: [.cacheControl: "max-age=60", .vary: "Accept-Language, Accept-Encoding, X-Flavour"],
                    body: request[.acceptLanguage] ?? "none"
                )
            }
            let first = try await edges[0].get(
                "/n",
                [("Accept-Language", "en, de;q=0.5"), ("Accept-Encoding", "gzip, br"), ("X-Flavour", "a, b")]
            )
            // Language order, case and whitespace; encoding order; list spacing and lines.
            for headers in [
                [("Accept-Language", "DE ; q = 0.5 ,EN"), ("Accept-Encoding", "br,gzip"), ("X-Flavour", "a,b")],
                [
                    ("Accept-Language", " en ,   de;q=0.5"), ("Accept-Encoding", "gzip,br"), ("X-Flavour", "a"),
                    ("X-Flavour", "b"),
                ],
            ] {
                let again = try await edges[0].get("/n", headers)
                #expect(again.body == first.body)
            }
            #expect(origin.count("/n") == 1, "one variant for all three spellings")
            // Order still matters where the field does not say otherwise, and other languages differ.
            _ = try await edges[0].get(
                "/n",
                [("Accept-Language", "en, de;q=0.5"), ("Accept-Encoding", "gzip, br"), ("X-Flavour", "b, a")]
            )
            _ = try await edges[0].get(
                "/n",
                [("Accept-Language", "en, fr"), ("Accept-Encoding", "gzip, br"), ("X-Flavour", "a, b")]
            )
            #expect(origin.count("/n") == 3)
        }
    }

    @Test func rangesAreServedFromTheCachedWholeObject() async throws {
        try await withEdges { origin, edges in
            let body = String(repeating: "0123456789", count: 100)
            origin.on("/big") { _, _ in .init(headers: [.cacheControl: "max-age=60", .eTag: #""b""#], body: body) }
            let part = try await edges[0].get("/big", [("Range", "bytes=10-19")])
            #expect(part.status == 206)
            #expect(part.body == "0123456789")
            #expect(part.headers["content-range"] == "bytes 10-19/1000")
            let tail = try await edges[0].get("/big", [("Range", "bytes=-5")])
            #expect(tail.body == "56789")
            let outside = try await edges[0].get("/big", [("Range", "bytes=5000-")])
            #expect(outside.status == 416)
            let conditional = try await edges[0].get("/big", [("If-None-Match", #""b""#)])
            #expect(conditional.status == 304)
            #expect(origin.count("/big") == 1, "one whole fetch served every range")
        }
    }

    /// RFC 9111 §3.3 and §3.4: a range the origin answers with `206` goes to the origin as asked
    /// (a large object is never fetched whole for a few bytes), the part is stored, requests
    /// inside it are hits, parts of one representation are joined, and parts that add up to
    /// the whole become a whole entry.
    @Test func partsTheOriginSendsAreStoredJoinedAndCompleted() async throws {
        try await withEdges { origin, edges in
            let body = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
            origin.on("/video") { request, _ in
                var headers: HTTPFields = [.cacheControl: "max-age=60", .eTag: #""v1""#]
                guard case .satisfiable(let lower, let upper) = ByteRange(header: request[.range], length: body.count)
                else { return .init(headers: headers, body: String(decoding: body, as: UTF8.self)) }
                headers[.contentRange] = "bytes \(lower)-\(upper)/\(body.count)"
                return .init(
                    status: .partialContent,
                    headers: headers,
                    body: String(decoding: body[lower...upper], as: UTF8.self)
                )
            }
            let first = try await edges[0].get("/video", [("Range", "bytes=0-9")])
            #expect(first.status == 206 && first.body == "abcdefghij")
            #expect(origin.lastHeaders("/video")?[.range] == "bytes=0-9", "the range went to the origin as asked")
            let inside = try await edges[0].get("/video", [("Range", "bytes=2-4")])
            #expect(inside.status == 206 && inside.body == "cde", "\(inside.body)")
            #expect(inside.headers["content-range"] == "bytes 2-4/36")
            #expect(origin.count("/video") == 1, "a range inside the stored part is a hit")

            // Outside the part: to the origin, and the new part joins the stored one.
            let next = try await edges[0].get("/video", [("Range", "bytes=10-19")])
            #expect(next.body == "klmnopqrst")
            let across = try await edges[0].get("/video", [("Range", "bytes=8-12")])
            #expect(across.body == "ijklm", "served from the joined part: \(across.body)")
            #expect(origin.count("/video") == 2)
            // A request for the whole while only a part is stored is a miss; the rest completes it.
            _ = try await edges[0].get("/video", [("Range", "bytes=20-")])
            #expect(origin.count("/video") == 3)
            let whole = try await edges[0].get("/video")
            #expect(whole.status == 200 && whole.body == String(decoding: body, as: UTF8.self), "\(whole.body)")
            #expect(whole.headers["content-range"] == nil)
            #expect(origin.count("/video") == 3, "the joined parts made the whole entry")
        }
    }

    @Test func privateSetCookieAndAuthorizationAreNeverShared() async throws {
        try await withEdges { origin, edges in
            origin.on("/p") { _, count in .init(headers: [.cacheControl: "private, max-age=60"], body: "p\(count)") }
            origin.on("/c") { _, count in
                .init(headers: [.cacheControl: "max-age=60", .setCookie: "s=1"], body: "c\(count)")
            }
            origin.on("/a") { _, count in .init(headers: [.cacheControl: "max-age=60"], body: "a\(count)") }
            origin.on("/pub") { _, count in
                .init(headers: [.cacheControl: "public, max-age=60", .setCookie: "s=1"], body: "x\(count)")
            }
            for path in ["/p", "/c"] {
                _ = try await edges[0].get(path)
                _ = try await edges[0].get(path)
                #expect(origin.count(path) == 2, "\(path) went to the origin each time")
            }
            _ = try await edges[0].get("/a", [("Authorization", "Bearer t")])
            _ = try await edges[0].get("/a", [("Authorization", "Bearer t")])
            #expect(origin.count("/a") == 2)
            _ = try await edges[0].get("/pub")
            _ = try await edges[0].get("/pub")
            #expect(origin.count("/pub") == 1, "public overrides the cookie rule")
        }
    }

    /// Two hundred clients at once are timing-sensitive on two cores: away from the million-row tests.
    @Test func twoHundredConcurrentColdRequestsMakeOneOriginFetch() async throws {
        try await ExclusiveTestWork.shared.run { try await coldRequestsCoalesce() }
    }

    func coldRequestsCoalesce() async throws {
        try await withEdges { origin, edges in
            origin.on("/cold") { _, _ in
                .init(
                    headers: [.cacheControl: "max-age=60"],
                    body: String(repeating: "x", count: 4096),
                    delay: .milliseconds(300)
                )
            }
            let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<200 { group.addTask { try await edges[0].get("/cold").body } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(bodies.count == 200)
            #expect(bodies.allSatisfy { $0.count == 4096 })
            #expect(origin.count("/cold") == 1)
        }
    }

    @Test func anUnsafeMethodInvalidatesItsTarget() async throws {
        try await withEdges { origin, edges in
            origin.on("/item") { _, count in .init(headers: [.cacheControl: "max-age=60"], body: "v\(count)") }
            let before = try await edges[0].get("/item")
            _ = try await edges[0].get("/item", method: .POST)
            let after = try await edges[0].get("/item")
            #expect(before.body == "v1")
            #expect(after.body == "v3", "the POST's success dropped the stored copy")
        }
    }

    @Test func aClientSentIdentityOrForwardingHeaderNeverReachesTheOrigin() async throws {
        try await withEdges { origin, edges in
            origin.on("/h") { _, _ in .init(body: "ok") }
            _ = try await edges[0].get(
                "/h",
                [("X-Wenwex-User", "1"), ("X-Forwarded-For", "6.6.6.6"), ("X-Middleware-Subrequest", "middleware")]
            )
            let seen = try #require(origin.lastHeaders("/h"))
            #expect(seen[HTTPField.Name("X-Wenwex-User")!] == nil)
            #expect(seen[HTTPField.Name("X-Middleware-Subrequest")!] == nil)
            #expect(seen[HTTPField.Name("X-Forwarded-For")!] == "127.0.0.1", "only the edge's own view of the client")
            #expect(seen[.via]?.contains("wenwex-edge") == true)
        }
    }
}

func waitUntil(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("the condition did not hold within \(timeout)")
}
