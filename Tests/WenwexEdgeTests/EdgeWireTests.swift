import Foundation
import NIOCore
import NIOPosix
import Testing
import WenwexEdge

/// Requests read from the connection's bytes (`WireHits`): hits answered before NIO's HTTP
/// codec, everything else handed to it byte for byte, answers in request order, and the idle
/// timeout kept for connections whose requests never reach the codec.
@Suite("Edge requests read from the bytes")
struct EdgeWireTests {
    @Test func aHeadArrivingByteByByteIsStillAnsweredFromTheCache() async throws {
        try await withEdges { origin, edges in
            origin.on("/hit") { _, _ in .init(headers: [.cacheControl: "max-age=600"], body: "cached") }
            _ = try await edges[0].get("/hit")
            let answers = try await RawConnection.session(port: edges[0].port) { connection in
                for byte in "GET /hit HTTP/1.1\r\nHost: edge\r\n\r\n".utf8 {
                    try await connection.send(String(decoding: [byte], as: UTF8.self))
                }
                return try await connection.responses(1)
            }
            #expect(answers.map(\.status) == [200])
            #expect(answers.first?.body == "cached")
            #expect(answers.first?.headers["age"] != nil)
            #expect(edges[0].node.proxy.answeredOnEventLoop == 1)
            #expect(origin.count("/hit") == 1)
        }
    }

    @Test func aHeadHitSendsTheFieldsWithoutTheBody() async throws {
        try await withEdges { origin, edges in
            origin.on("/hit") { _, _ in .init(headers: [.cacheControl: "max-age=600"], body: "cached") }
            _ = try await edges[0].get("/hit")
            let answers = try await RawConnection.session(port: edges[0].port) { connection in
                try await connection.send(
                    "HEAD /hit HTTP/1.1\r\nHost: edge\r\n\r\nGET /hit HTTP/1.1\r\nHost: edge\r\n\r\n"
                )
                return try await connection.responses(2, headRequests: [0])
            }
            #expect(answers.map(\.status) == [200, 200])
            #expect(answers[0].headers["content-length"] == "6" && answers[0].body.isEmpty)
            #expect(answers[1].body == "cached", "the HEAD answer carried no body to shift the next one")
            #expect(edges[0].node.proxy.answeredOnEventLoop == 2)
        }
    }

    @Test func aRefusalToAHeadRequestHasNoBody() async throws {
        try await withEdges(guards: { _, _ in GuardPipeline([MaintenanceGuard { true }]) }) { origin, edges in
            let answers = try await RawConnection.session(port: edges[0].port) { connection in
                try await connection.send("HEAD /x HTTP/1.1\r\nHost: edge\r\n\r\nGET /x HTTP/1.1\r\nHost: edge\r\n\r\n")
                return try await connection.responses(2, headRequests: [0])
            }
            #expect(answers.map(\.status) == [503, 503])
            #expect(answers[0].body.isEmpty && answers[1].body.contains("maintenance"))
            #expect(origin.count("/x") == 0)
        }
    }

    @Test func aRequestWithABodyGoesOnAndTheConnectionComesBackToTheFastPath() async throws {
        try await withEdges { origin, edges in
            origin.on("/hit") { _, _ in .init(headers: [.cacheControl: "max-age=600"], body: "cached") }
            origin.on("/form") { _, _ in .init(headers: [.cacheControl: "no-store"], body: "formed") }
            _ = try await edges[0].get("/hit")
            let proxy = edges[0].node.proxy
            let (answers, fastBefore, fastAfter) = try await RawConnection.session(port: edges[0].port) { connection in
                try await connection.send(
                    "POST /form HTTP/1.1\r\nHost: edge\r\nContent-Length: 5\r\n\r\nhel"
                )
                try await connection.send("loGET /hit HTTP/1.1\r\nHost: edge\r\n\r\n")
                var answers = try await connection.responses(2)
                let before = proxy.answeredOnEventLoop
                try await connection.send("GET /hit HTTP/1.1\r\nHost: edge\r\n\r\n")
                answers += try await connection.responses(1)
                return (answers, before, proxy.answeredOnEventLoop)
            }
            #expect(answers.map(\.body) == ["formed", "cached", "cached"])
            #expect(origin.bodies.withLock { $0["/form"] } == ["hello"])
            // After the form's answer, the next hit is answered from the bytes again.
            #expect(fastAfter == fastBefore + 1)
            #expect(origin.count("/hit") == 1)
        }
    }

    @Test func aChunkedUploadAndTheRequestsAfterItAreReadByNIOsParser() async throws {
        try await withEdges { origin, edges in
            origin.on("/hit") { _, _ in .init(headers: [.cacheControl: "max-age=600"], body: "cached") }
            origin.on("/upload") { _, _ in .init(headers: [.cacheControl: "no-store"], body: "stored") }
            _ = try await edges[0].get("/hit")
            let answers = try await RawConnection.session(port: edges[0].port) { connection in
                try await connection.send(
                    "POST /upload HTTP/1.1\r\nHost: edge\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                        + "GET /hit HTTP/1.1\r\nHost: edge\r\n\r\n"
                )
                return try await connection.responses(2)
            }
            #expect(answers.map(\.body) == ["stored", "cached"])
            #expect(origin.bodies.withLock { $0["/upload"] } == ["hello"])
            #expect(edges[0].node.proxy.answeredOnEventLoop == 0)
            #expect(origin.count("/hit") == 1)
        }
    }

    @Test func headsTheScannerLeavesAloneGetNIOsAnswer() async throws {
        try await withEdges { origin, edges in
            origin.on("/hit") { _, _ in .init(headers: [.cacheControl: "max-age=600"], body: "cached") }
            _ = try await edges[0].get("/hit")
            // Longer than the scanner reads, within NIO's limit: served the usual way.
            let long = "GET /hit HTTP/1.1\r\nHost: edge\r\nX-Padding: \(String(repeating: "p", count: 20_000))\r\n\r\n"
            let longAnswer = try await RawConnection.session(port: edges[0].port) { connection in
                try await connection.send(long)
                return try await connection.responses(1)
            }
            #expect(longAnswer.map(\.body) == ["cached"])
            // A space before the colon is malformed (RFC 9112 §5.1): NIO's parser refuses it.
            let malformed = try await RawConnection.session(port: edges[0].port) { connection in
                try await connection.send("GET /hit HTTP/1.1\r\nHost: edge\r\nBad Name : x\r\n\r\n")
                return try await connection.responses(1)
            }
            #expect(malformed.map(\.status) == [400])
            #expect(origin.count("/hit") == 1)
            #expect(edges[0].node.proxy.answeredOnEventLoop == 0)
        }
    }

    @Test func anIdleConnectionIsClosedAndABusyOneIsNot() async throws {
        try await withEdges(configure: { $0.clientIdleTimeoutSeconds = 1 }) { origin, edges in
            origin.on("/hit") { _, _ in .init(headers: [.cacheControl: "max-age=600"], body: "cached") }
            _ = try await edges[0].get("/hit")
            let clock = ContinuousClock()
            // Hits back to back for three idle timeouts, all answered from the bytes: the
            // connection is never idle, though HummingbirdCore's handler never sees a request.
            let (busy, busyFor) = try await RawConnection.session(port: edges[0].port) { connection in
                var answered = 0
                let start = clock.now
                while clock.now - start < .seconds(3) {
                    try await connection.send("GET /hit HTTP/1.1\r\nHost: edge\r\n\r\n")
                    answered += try await connection.responses(1).filter { $0.body == "cached" }.count
                }
                return (answered, clock.now - start)
            }
            #expect(busy >= 10 && busyFor >= .seconds(3))
            // Timed from before the request is sent: the edge cannot have read it earlier, so the
            // close cannot come sooner than the timeout after it however late this task runs.
            let closedAfter = try await RawConnection.session(port: edges[0].port) { connection in
                let start = clock.now
                try await connection.send("GET /hit HTTP/1.1\r\nHost: edge\r\n\r\n")
                _ = try await connection.responses(1)
                try await connection.waitForClose()
                return clock.now - start
            }
            #expect(closedAfter >= .seconds(1) && closedAfter < .seconds(10))
            #expect(origin.count("/hit") == 1)
        }
    }
}

/// One client connection that speaks HTTP/1.1 as bytes, for what a client library would not send.
struct RawConnection {
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var unread = ""

    static func session<Result: Sendable>(
        port: Int,
        _ body: (inout RawConnection) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = RawConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&connection)
        }
    }

    mutating func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// The next `count` responses; `headRequests` are the indexes of those answering `HEAD`,
    /// whose `Content-Length` describes a body that is not sent.
    mutating func responses(_ count: Int, headRequests: Set<Int> = []) async throws -> [Answer] {
        var answers: [Answer] = []
        while answers.count < count {
            if let answer = takeResponse(headRequest: headRequests.contains(answers.count)) {
                answers.append(answer)
                continue
            }
            guard let chunk = try await inbound.next() else { throw ClosedEarly(unread: unread) }
            unread += String(buffer: chunk)
        }
        return answers
    }

    /// Returns once the server closes the connection.
    mutating func waitForClose() async throws {
        while try await inbound.next() != nil {}
    }

    private mutating func takeResponse(headRequest: Bool) -> Answer? {
        guard let headEnd = unread.range(of: "\r\n\r\n") else { return nil }
        let lines = unread[..<headEnd.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces
            )
        }
        let length = headRequest || status == 304 ? 0 : Int(headers["content-length"] ?? "0") ?? 0
        let rest = unread[headEnd.upperBound...]
        guard rest.utf8.count >= length else { return nil }
        let body = String(rest.utf8.prefix(length))!
        unread = String(rest.utf8.dropFirst(length))!
        return Answer(status: status, headers: headers, body: body)
    }

    struct ClosedEarly: Error {
        var unread: String
    }
}
