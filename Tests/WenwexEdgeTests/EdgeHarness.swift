import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import WenwexEdge

/// An origin whose answers each test scripts, counting the requests it receives per path.
final class ScriptedOrigin: Sendable {
    /// Where the origin listens, once it does.
    let listening = Mutex<URL?>(nil)
    var baseURL: URL? { listening.withLock { $0 } }

    struct Answer: Sendable {
        var status: HTTPResponse.Status = .ok
        var headers: HTTPFields = [:]
        var body = "hello"
        var delay: Duration = .zero
    }

    typealias Script = @Sendable (_ request: HTTPFields, _ count: Int) -> Answer
    typealias Handler = @Sendable (_ request: Request) async -> Response
    private let scripts = Mutex<[String: Script]>([:])
    private let handlers = Mutex<[String: Handler]>([:])
    private let counts = Mutex<[String: Int]>([:])
    let received = Mutex<[String: HTTPFields]>([:])
    let bodies = Mutex<[String: [String]]>([:])
    let targets = Mutex<[String: [String]]>([:])

    func on(_ path: String, _ script: @escaping Script) {
        scripts.withLock { $0[path] = script }
    }

    /// Answers `path` with `handler` (not counted), for feeds and key sets.
    func serve(_ path: String, _ handler: @escaping Handler) {
        handlers.withLock { $0[path] = handler }
    }

    func count(_ path: String) -> Int { counts.withLock { $0[path] ?? 0 } }

    func lastHeaders(_ path: String) -> HTTPFields? { received.withLock { $0[path] } }

    func respond(_ request: Request) async throws -> Response {
        let path = request.uri.path
        if let handler = handlers.withLock({ $0[path] }) { return await handler(request) }
        let count = counts.withLock { counts in
            counts[path, default: 0] += 1
            return counts[path]!
        }
        received.withLock { $0[path] = request.headers }
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        bodies.withLock { $0[path, default: []].append(String(buffer: body)) }
        targets.withLock { $0[path, default: []].append("\(request.method.rawValue) \(request.head.path ?? path)") }
        let script = scripts.withLock { $0[path] }
        let answer = script?(request.headers, count) ?? Answer(status: .notFound, body: "no script")
        if answer.delay > .zero { try await Task.sleep(for: answer.delay) }
        var headers = answer.headers
        if headers[.date] == nil { headers[.date] = HTTPDate.format(HTTPDate.now) }
        if answer.status == .notModified {
            return Response(status: answer.status, headers: headers)
        }
        return Response(
            status: answer.status,
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: answer.body))
        )
    }
}

let quietLogger: Logger = {
    var logger = Logger(label: "edge-tests")
    logger.logLevel = .critical
    return logger
}()

/// Runs `body` with a scripted origin and `edges` edge nodes in front of it, all on loopback.
func withEdges(
    _ edges: Int = 1,
    configure: @Sendable (inout EdgeConfiguration) -> Void = { _ in },
    guards: @escaping @Sendable (_ node: Int, _ origin: URL) async -> GuardPipeline = { _, _ in
        GuardPipeline([HeaderHygieneGuard()])
    },
    services: @escaping @Sendable (_ node: Int, _ origin: URL) -> [any Service] = { _, _ in [] },
    _ body: (ScriptedOrigin, [EdgeHandle]) async throws -> Void
) async throws {
    let origin = ScriptedOrigin()
    let (originPorts, originPort) = AsyncStream.makeStream(of: Int.self)
    let originApp = Application(
        responder: CallbackResponder { (request: Request, _: BasicRequestContext) in try await origin.respond(request)
        },
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { originPort.yield($0.localAddress?.port ?? 0) },
        logger: quietLogger
    )
    try await withThrowingTaskGroup(of: Void.self) { group in
        let originGroup = ServiceGroup(services: [originApp], gracefulShutdownSignals: [], logger: quietLogger)
        group.addTask { try await originGroup.run() }
        var iterator = originPorts.makeAsyncIterator()
        let port = await iterator.next()!
        var handles: [EdgeHandle] = []
        var groups: [ServiceGroup] = []
        let originURL = URL(string: "http://127.0.0.1:\(port)")!
        origin.listening.withLock { $0 = originURL }
        for index in 0..<edges {
            var configuration = EdgeConfiguration(origin: originURL)
            configuration.purgeToken = "test-purge-token-0123456789"
            configure(&configuration)
            let (edgePorts, edgePort) = AsyncStream.makeStream(of: Int.self)
            let node = EdgeNode(
                configuration: configuration,
                guards: await guards(index, originURL),
                port: 0,
                logger: quietLogger
            ) {
                edgePort.yield($0)
            }
            let edgeGroup = ServiceGroup(
                services: [node] + services(index, originURL),
                gracefulShutdownSignals: [],
                logger: quietLogger
            )
            groups.append(edgeGroup)
            group.addTask { try await edgeGroup.run() }
            var edgeIterator = edgePorts.makeAsyncIterator()
            handles.append(EdgeHandle(port: await edgeIterator.next()!, node: node))
        }
        do {
            try await body(origin, handles)
        } catch {
            for edgeGroup in groups { await edgeGroup.triggerGracefulShutdown() }
            await originGroup.triggerGracefulShutdown()
            throw error
        }
        for edgeGroup in groups { await edgeGroup.triggerGracefulShutdown() }
        await originGroup.triggerGracefulShutdown()
        try await group.waitForAll()
    }
}

struct EdgeHandle: Sendable {
    let port: Int
    let node: EdgeNode

    struct Answer {
        var status: UInt
        var headers: [String: String]
        var body: String
    }

    func get(_ path: String, _ headers: [(String, String)] = [], method: HTTPMethod = .GET) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        var fields: [String: String] = [:]
        for (name, value) in response.headers { fields[name.lowercased()] = value }
        return Answer(status: response.status.code, headers: fields, body: String(buffer: body))
    }
}
