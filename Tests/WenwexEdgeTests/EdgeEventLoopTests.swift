import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix
import Synchronization
import Testing
import WenwexEdge

/// Fresh hits answered on the event loop (`EventLoopAnswers`): the same answers as the
/// asynchronous path, in request order, with every guard run exactly once.
@Suite("Edge answers on the event loop")
struct EdgeEventLoopTests {
    @Test func hitsAreAnsweredOnTheEventLoopWithAgeAndTheOriginsDate() async throws {
        try await withEdges { origin, edges in
            origin.on("/logo") { _, _ in .init(headers: [.cacheControl: "max-age=600", .eTag: "\"v1\""], body: "logo") }
            let first = try await edges[0].get("/logo")
            let hit = try await edges[0].get("/logo")
            let notModified = try await edges[0].get("/logo", [("If-None-Match", "\"v1\"")])
            let range = try await edges[0].get("/logo", [("Range", "bytes=1-2")])
            #expect(first.body == "logo" && hit.body == "logo")
            #expect(hit.headers["age"] != nil)
            #expect(hit.headers["date"] == first.headers["date"], "the origin's Date is replayed")
            #expect(notModified.status == 304)
            #expect(range.status == 206 && range.body == "og")
            #expect(origin.count("/logo") == 1)
            #expect(edges[0].node.proxy.answeredOnEventLoop == 3)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInTheOrderTheyCame() async throws {
        try await withEdges { origin, edges in
            origin.on("/hit") { _, _ in .init(headers: [.cacheControl: "max-age=600"], body: "cached") }
            origin.on("/slow") { _, _ in
                .init(headers: [.cacheControl: "no-store"], body: "slow", delay: .milliseconds(300))
            }
            _ = try await edges[0].get("/hit")
            // Three requests in one write: the hit behind the slow miss must wait its turn.
            let text = try await exchange(
                port: edges[0].port,
                "GET /slow HTTP/1.1\r\nHost: edge\r\n\r\nGET /hit HTTP/1.1\r\nHost: edge\r\n\r\nGET /hit HTTP/1.1\r\nHost: edge\r\n\r\n",
                responses: 3
            )
            let bodies = text.components(separatedBy: "\r\n\r\n").dropFirst().map { $0.prefix(6) }
            #expect(bodies.map { $0.hasPrefix("slow") ? "slow" : String($0) } == ["slow", "cached", "cached"])
            #expect(origin.count("/hit") == 1)
        }
    }

    @Test func guardsRunOnceWhetherTheRequestIsAHitOrAMiss() async throws {
        let rule = RateLimitRule(name: "reads", method: .get, scope: .address, limit: 5, seconds: 3600)
        try await withEdges(guards: { _, _ in GuardPipeline([HeaderHygieneGuard(), RateLimitGuard(rules: [rule])]) }) {
            origin,
            edges in
            origin.on("/cached") { _, _ in .init(headers: [.cacheControl: "max-age=600"], body: "c") }
            origin.on("/fresh") { _, _ in .init(headers: [.cacheControl: "no-store"], body: "f") }
            var statuses: [UInt] = []
            for path in ["/cached", "/cached", "/fresh", "/cached", "/fresh", "/cached", "/fresh"] {
                statuses.append(try await edges[0].get(path).status)
            }
            // One miss and two hits of /cached, two misses of /fresh: five, then refused.
            #expect(statuses == [200, 200, 200, 200, 200, 429, 429])
            #expect(origin.count("/cached") == 1)
            #expect(origin.count("/fresh") == 2)
        }
    }

    @Test func aGuardThatMustWaitSendsHitsTheAsynchronousWayAndRunsOnce() async throws {
        let counting = CountingGuard()
        try await withEdges(guards: { _, _ in GuardPipeline([HeaderHygieneGuard(), counting]) }) { origin, edges in
            origin.on("/cached") { _, _ in .init(headers: [.cacheControl: "max-age=600"], body: "c") }
            for _ in 0..<4 {
                let answer = try await edges[0].get("/cached")
                #expect(answer.body == "c")
            }
            #expect(counting.calls.load(ordering: .relaxed) == 4)
            #expect(origin.count("/cached") == 1)
            #expect(edges[0].node.proxy.answeredOnEventLoop == 0)
        }
    }

    @Test func aRefusalIsAnsweredOnTheEventLoopAsProblemJSON() async throws {
        try await withEdges(guards: { _, _ in GuardPipeline([MaintenanceGuard { true }]) }) { origin, edges in
            let answer = try await edges[0].get("/anything")
            #expect(answer.status == 503)
            #expect(answer.headers["content-type"] == "application/problem+json")
            #expect(answer.body.contains("maintenance"))
            #expect(answer.headers["date"] != nil)
            #expect(origin.count("/anything") == 0)
            #expect(edges[0].node.proxy.answeredOnEventLoop == 1)
        }
    }
}

/// A team's own guard that only has the asynchronous form.
private final class CountingGuard: EdgeGuard {
    let name = "counting"
    let calls = Atomic<Int>(0)

    func inspect(_ request: inout GuardedRequest) async -> Response? {
        calls.add(1, ordering: .relaxed)
        return nil
    }
}

/// Writes `text` on one connection and reads until `responses` responses have come back.
private func exchange(port: Int, _ text: String, responses: Int) async throws -> String {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
    return try await channel.executeThenClose { inbound, outbound in
        try await outbound.write(ByteBuffer(string: text))
        var received = ""
        for try await chunk in inbound {
            received += String(buffer: chunk)
            // Every response here ends with its short body; the last one is a hit's.
            if received.components(separatedBy: "HTTP/1.1 ").count - 1 >= responses, received.hasSuffix("cached") {
                break
            }
        }
        return received
    }
}
