import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers what the edge can answer without suspending (fresh cache hits and guard refusals)
/// on the connection's event loop, and passes everything else on to the asynchronous responder.
///
/// A hit answered here costs no task, no async sequence step and no response-writer
/// round trip: on a 4 KiB hit those were most of the time, and the reason the edge ran slower
/// than nginx. The rules stay the proxy's own (``EdgeProxy/answerWithoutWaiting(_:clientAddress:connection:)``);
/// this handler only decides when it may ask.
///
/// Responses leave in the order their requests came: while a request passed on is still
/// being answered, every later request is passed on too, behind it.
final class EventLoopAnswers: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let proxy: EdgeProxy
    private var clientAddress = "unknown"
    /// A GET or HEAD held back until its end shows it has no body.
    private var held: HTTPRequest?
    /// Requests passed on whose response has not ended yet.
    private var awaitingResponses = 0
    /// Answers written since the last flush: flushed once per read, so pipelined hits share a write.
    private var unflushed = false

    init(proxy: EdgeProxy) {
        self.proxy = proxy
    }

    func handlerAdded(context: ChannelHandlerContext) {
        clientAddress = context.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Also called when the connection closes: NIO removes every handler then.
    func handlerRemoved(context: ChannelHandlerContext) {
        proxy.guardedHandoff.forget(ObjectIdentifier(context.channel))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if awaitingResponses == 0, head.method == .get || head.method == .head,
                head.headerFields[.connection] == nil
            {
                held = head
                return
            }
            passOn(.head(head), context)
        case .body(let chunk):
            if let head = held.take() { passOn(.head(head), context) }
            context.fireChannelRead(wrapInboundOut(.body(chunk)))
        case .end(let trailers):
            if let head = held.take() {
                let connection = ObjectIdentifier(context.channel)
                if let answer = proxy.answerWithoutWaiting(head, clientAddress: clientAddress, connection: connection) {
                    write(answer, context)
                    return
                }
                passOn(.head(head), context)
            }
            context.fireChannelRead(wrapInboundOut(.end(trailers)))
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if unflushed {
            unflushed = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { awaitingResponses -= 1 }
        context.write(data, promise: promise)
    }

    private func passOn(_ head: HTTPRequestPart, _ context: ChannelHandlerContext) {
        awaitingResponses += 1
        context.fireChannelRead(wrapInboundOut(head))
    }

    private func write(_ answer: EdgeAnswer, _ context: ChannelHandlerContext) {
        var headers = answer.headers
        if headers[.date] == nil { headers[.date] = proxy.dates.now() }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: answer.status, headerFields: headers))), promise: nil)
        if let body = answer.body, body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(body)), promise: nil)
        }
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
        unflushed = true
    }
}

extension Optional {
    /// The value, leaving `nil` behind.
    fileprivate mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}
