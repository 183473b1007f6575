import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// HummingbirdCore's HTTP/1 child channel with ``WireHits`` in front of NIO's HTTP codec and
/// the asynchronous responder behind it.
///
/// Built here rather than through `HTTP1Channel`'s `additionalChannelHandlers`, which sit
/// after the codec: the edge answers hits from the bytes, before any HTTP type is made.
/// HummingbirdCore's connection-state handler still sees every request the responder answers
/// (graceful shutdown waits for them); the idle timeout is ``WireHits``'s, since only it sees
/// every request.
struct EdgeHTTP1Channel: HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let proxy: EdgeProxy
    let idleTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            let ledger = ResponseLedger()
            try pipeline.addHandler(WireHits(proxy: proxy, ledger: ledger, idleTimeout: idleTimeout))
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // the responder answers one request at a time
                withErrorHandling: false,  // Hummingbird's handling answers parse errors
                withOutboundHeaderValidation: false  // HTTPTypes already validated them
            )
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            try pipeline.addHandler(ledger)
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
