public import Hummingbird
public import Logging
public import ServiceLifecycle

/// One edge node: the HTTP server with its ``EdgeProxy``, run as a service so a
/// `ServiceGroup` shuts it down gracefully (in-flight requests finish, the origin pool closes).
public struct EdgeNode: Service {
    public let proxy: EdgeProxy
    private let host: String
    private let port: Int
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void

    /// `port` 0 picks a free one, reported to `onListening`.
    public init(
        configuration: EdgeConfiguration,
        guards: GuardPipeline = GuardPipeline([HeaderHygieneGuard()]),
        host: String = "127.0.0.1",
        port: Int,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        proxy = EdgeProxy(configuration: configuration, guards: guards, logger: logger)
        self.host = host
        self.port = port
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let onListening = onListening
        let application = Application(
            responder: proxy,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        do {
            try await application.runService()
        } catch {
            try? await proxy.origin.shutdown()
            throw error
        }
        try await proxy.origin.shutdown()
    }
}
