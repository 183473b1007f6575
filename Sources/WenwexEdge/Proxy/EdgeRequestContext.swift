public import Hummingbird
public import NIOCore

/// The per-request state of the edge: the client's address, for forwarding headers, bans and
/// rate limits.
public struct EdgeRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connected peer.
    public let remoteAddress: SocketAddress?
    /// The client connection, for requests whose guards ran before the responder (``GuardedHandoff``).
    let connection: ObjectIdentifier

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        connection = ObjectIdentifier(source.channel)
    }

    /// The peer's IP address as text (`127.0.0.1`, `::1`), or `unknown`.
    public var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
