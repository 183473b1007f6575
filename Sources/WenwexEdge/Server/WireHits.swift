import NIOCore

/// The first handler of an edge connection: reads request heads from the bytes themselves and
/// answers fresh hits and guard refusals there, writing the answer's bytes straight to the
/// socket; every other request goes on, byte for byte, to NIO's parser and the responder.
///
/// On a 4 KiB hit most of the time went to the HTTP layers, not the cache: NIO's parser built
/// `HTTPHeaders`, the codec turned them into `HTTPFields`, and on the way out the encoder
/// turned the fields back and formatted them. Here a hit is one scan of the head and one
/// buffer out, the stored response's head rendered once when it was stored
/// (``WireAnswer/ReplayHead``).
///
/// Correctness stays with NIO: a head this scanner does not fully understand
/// (``WireRequestHead``) hands the connection to NIO's parser for good. Requests are framed
/// here (`Content-Length`), so after a request passed on has been answered the connection
/// comes back to this path; until then every request goes behind it (``ResponseLedger``), and
/// so do requests while the client is not reading what it was sent, which lets the
/// responder's backpressure hold.
///
/// The idle timeout lives here too, since requests answered here never reach HummingbirdCore's
/// connection-state handler: a connection closes after ``idleTimeout`` with nothing read and
/// nothing owed.
final class WireHits: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = IOData

    private enum Reading {
        /// At the start of a request head.
        case heads
        /// Passing on the body of a request that went to the responder.
        case body(remaining: Int)
        /// NIO's parser reads everything from here on.
        case byNIO
    }

    private let proxy: EdgeProxy
    private let ledger: ResponseLedger
    private let idleTimeout: TimeAmount
    private var reading = Reading.heads
    /// The start of a head whose end has not arrived.
    private var incomplete: ByteBuffer?
    private var clientAddress = "unknown"
    /// Answers written since the last flush: flushed once per read, so pipelined hits share a write.
    private var unflushed = false
    private var lastRead = NIODeadline.now()
    private var idleCheck: Scheduled<Void>?

    init(proxy: EdgeProxy, ledger: ResponseLedger, idleTimeout: TimeAmount) {
        self.proxy = proxy
        self.ledger = ledger
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        clientAddress = context.channel.remoteAddress?.ipAddress ?? "unknown"
        if context.channel.isActive { scheduleIdleCheck(context, in: idleTimeout) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if idleCheck == nil { scheduleIdleCheck(context, in: idleTimeout) }
        context.fireChannelActive()
    }

    /// Also called when the connection closes: NIO removes every handler then.
    func handlerRemoved(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        idleCheck = nil
        proxy.guardedHandoff.forget(ObjectIdentifier(context.channel))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        lastRead = .now()
        if var held = incomplete.take() {
            held.writeBuffer(&buffer)
            buffer = held
        }
        while buffer.readableBytes > 0 {
            switch reading {
            case .byNIO:
                context.fireChannelRead(wrapInboundOut(buffer))
                return
            case .body(let remaining):
                let length = min(remaining, buffer.readableBytes)
                reading = length == remaining ? .heads : .body(remaining: remaining - length)
                context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: length)!))
            case .heads:
                switch WireRequestHead.scan(buffer) {
                case .incomplete:
                    incomplete = buffer
                    return
                case .unsupported:
                    reading = .byNIO
                case .request(let head):
                    let bytes = buffer.readSlice(length: head.length)!
                    if let answer = answer(head, context) {
                        write(answer, context)
                        continue
                    }
                    if head.bodyLength > 0 { reading = .body(remaining: head.bodyLength) }
                    context.fireChannelRead(wrapInboundOut(bytes))
                    // The responder may have answered and closed already (a bad request).
                    guard context.channel.isActive else { return }
                }
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if unflushed {
            unflushed = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        passOnIncomplete(context)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(.inputClosed) = event as? ChannelEvent { passOnIncomplete(context) }
        context.fireUserInboundEventTriggered(event)
    }

    /// What this handler answers itself: only when nothing passed on is still owed (answers
    /// leave in order) and the client reads what it is sent.
    private func answer(_ head: WireRequestHead, _ context: ChannelHandlerContext) -> ImmediateAnswer? {
        guard head.bodyLength == 0, let request = head.examinable, ledger.owed == 0, context.channel.isWritable
        else { return nil }
        return proxy.answerWithoutWaiting(
            request.method,
            request.target,
            request.headers,
            clientAddress: clientAddress,
            connection: ObjectIdentifier(context.channel)
        )
    }

    private func write(_ answer: ImmediateAnswer, _ context: ChannelHandlerContext) {
        let (head, body) = WireAnswer.render(answer, dates: proxy.dates, allocator: context.channel.allocator)
        context.write(wrapOutboundOut(.byteBuffer(head)), promise: nil)
        if let body { context.write(wrapOutboundOut(.byteBuffer(body)), promise: nil) }
        unflushed = true
    }

    /// A head cut short by the end of input goes to NIO's parser, whose answer to it stands.
    private func passOnIncomplete(_ context: ChannelHandlerContext) {
        guard let held = incomplete.take() else { return }
        reading = .byNIO
        context.fireChannelRead(wrapInboundOut(held))
    }

    private func scheduleIdleCheck(_ context: ChannelHandlerContext, in delay: TimeAmount) {
        idleCheck = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            idleCheck = nil
            guard context.channel.isActive else { return }
            let now = NIODeadline.now()
            // A request still being answered keeps the connection busy.
            if ledger.owed > 0 { lastRead = now }
            let quiet = now - lastRead
            if quiet >= idleTimeout {
                context.close(promise: nil)
            } else {
                scheduleIdleCheck(context, in: idleTimeout - quiet)
            }
        }
    }
}

extension Optional {
    /// The value, leaving `nil` behind.
    fileprivate mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}
