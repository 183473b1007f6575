import NIOCore
import NIOPosix
import Synchronization

/// A small Redis client: one connection, commands answered in order, reconnecting after a
/// failure. Enough for the shared rate limits' one script call per request; no Redis package
/// is available to depend on.
public final class RedisClient: Sendable {
    public let host: String
    public let port: Int
    private let connection = Mutex<Task<RedisConnection, any Error>?>(nil)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Sends one command and returns its reply; a Redis error reply throws.
    public func send(_ arguments: [String]) async throws -> RESPReply {
        let connection = try await connect()
        do {
            return try await connection.send(arguments)
        } catch {
            drop(connection)
            throw error
        }
    }

    private func connect() async throws -> RedisConnection {
        let task = connection.withLock { current in
            if let current { return current }
            let (host, port) = (host, port)
            let started = Task { try await RedisConnection.open(host: host, port: port) }
            current = started
            return started
        }
        do {
            return try await task.value
        } catch {
            connection.withLock { $0 = nil }
            throw error
        }
    }

    private func drop(_ failed: RedisConnection) {
        connection.withLock { $0 = nil }
        failed.close()
    }

    deinit {
        connection.withLock { $0?.cancel() }
    }
}

/// A reply, without RESP's framing.
public typealias RESPReply = RESP.Value

/// One TCP connection; requests are written and answered one at a time.
final class RedisConnection: Sendable {
    private let channel: any Channel
    private let replies: ReplyHandler
    private let gate = AsyncGate()

    private init(channel: any Channel, replies: ReplyHandler) {
        self.channel = channel
        self.replies = replies
    }

    static func open(host: String, port: Int) async throws -> RedisConnection {
        let replies = ReplyHandler()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(2))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(replies) }
            }
            .connect(host: host, port: port)
            .get()
        return RedisConnection(channel: channel, replies: replies)
    }

    func send(_ arguments: [String]) async throws -> RESP.Value {
        try await gate.withTurn {
            var buffer = channel.allocator.buffer(capacity: 64)
            RESP.encode(arguments, into: &buffer)
            let reply = replies.next(on: channel.eventLoop)
            try await channel.writeAndFlush(buffer)
            let value = try await reply.get()
            if case .error(let message) = value { throw RedisError.server(message) }
            return value
        }
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// Resolves the waiting request with each reply as it is parsed.
private final class ReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    // Touched only on the channel's event loop.
    typealias InboundIn = ByteBuffer
    private var buffer = ByteBuffer()
    private var waiting: [EventLoopPromise<RESP.Value>] = []

    func next(on loop: any EventLoop) -> EventLoopFuture<RESP.Value> {
        let promise = loop.makePromise(of: RESP.Value.self)
        loop.execute { self.waiting.append(promise) }
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        do {
            while let value = try RESP.parse(&buffer) {
                guard !waiting.isEmpty else { break }
                waiting.removeFirst().succeed(value)
            }
            buffer.discardReadBytes()
        } catch {
            fail(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(RedisError.connectionClosed)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    private func fail(_ error: any Error) {
        let failed = waiting
        waiting = []
        failed.forEach { $0.fail(error) }
    }
}

/// One caller at a time, in arrival order.
final class AsyncGate: Sendable {
    private let state = Mutex<(busy: Bool, queue: [CheckedContinuation<Void, Never>])>((false, []))

    func withTurn<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if !state.busy {
                    state.busy = true
                    return true
                }
                state.queue.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
        defer {
            let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if state.queue.isEmpty {
                    state.busy = false
                    return nil
                }
                return state.queue.removeFirst()
            }
            next?.resume()
        }
        return try await body()
    }
}
