import Hummingbird
import HummingbirdCore
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle

/// One edge node: the HTTP server with its ``EdgeProxy``, run as a service so a
/// `ServiceGroup` shuts it down gracefully (in-flight requests finish, the origin pool closes).
///
/// It runs on HummingbirdCore's HTTP/1 server rather than `Application`, which stamps every
/// response with its own `Date`: a cache must replay the stored `Date` the origin sent. Fresh
/// hits are answered before that server's responder, on the event loop (``WireHits``).
public struct EdgeNode: Service {
    public let proxy: EdgeProxy
    private let host: String
    private let port: Int
    private let maximumConnections: Int
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void

    /// `port` 0 picks a free one, reported to `onListening`; `maximumConnections` bounds the
    /// client connections open at once (more wait in the accept backlog).
    public init(
        configuration: EdgeConfiguration,
        guards: GuardPipeline = GuardPipeline([HeaderHygieneGuard()]),
        host: String = "127.0.0.1",
        port: Int,
        maximumConnections: Int = 10_000,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        proxy = EdgeProxy(configuration: configuration, guards: guards, logger: logger)
        self.host = host
        self.port = port
        self.maximumConnections = maximumConnections
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let proxy = proxy
        let logger = logger
        let onListening = onListening
        let dates = proxy.dates
        let idleTimeout = TimeAmount.nanoseconds(Int64(proxy.configuration.clientIdleTimeoutSeconds * 1e9))
        let responder: HTTPChannelHandler.Responder = { request, responseWriter, channel in
            let context = EdgeRequestContext(source: .init(channel: channel, logger: logger))
            var response: Response
            do {
                response = try await proxy.respond(to: request, context: context)
            } catch {
                logger.warning("edge request failed", metadata: ["error": "\(error)"])
                response = EdgeProblem.response(.badGateway, "The edge could not complete the request.")
            }
            if response.headers[.date] == nil { response.headers[.date] = dates.now() }
            try await responseWriter.write(response: response.head, body: response.body)
        }
        let server = EdgeHTTP1Channel(responder: responder, proxy: proxy, idleTimeout: idleTimeout).server(
            configuration: .init(
                address: .hostname(host, port: port),
                availableConnectionsDelegate: MaximumAvailableConnections(maximumConnections)
            ),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: logger
        )
        do {
            try await server.run()
        } catch {
            try? await proxy.origin.shutdown()
            throw error
        }
        try await proxy.origin.shutdown()
    }
}
