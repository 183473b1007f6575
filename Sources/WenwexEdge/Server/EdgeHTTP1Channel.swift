import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// HummingbirdCore's HTTP/1 child channel with ``EventLoopAnswers`` in front of the
/// asynchronous responder.
///
/// Built here rather than through `HTTP1Channel`'s `additionalChannelHandlers`, which sit
/// before Hummingbird's connection-state handler: requests answered on the event loop would
/// then be invisible to its idle timeout and graceful shutdown. Here that handler sees every
/// request and every response, whoever answers it.
struct EdgeHTTP1Channel: HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let proxy: EdgeProxy
    let idleTimeout: Duration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // the responder answers one request at a time
                withErrorHandling: false,  // Hummingbird's handling answers parse errors
                withOutboundHeaderValidation: false  // HTTPTypes already validated them
            )
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger))
            try pipeline.addHandler(EventLoopAnswers(proxy: proxy))
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel,
                configuration: .init(isOutboundHalfClosureEnabled: true)
            )
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}
