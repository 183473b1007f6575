import Foundation
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix

/// `WenwexBench edge-limit --port P --dir D`: the files of `D` answered from memory by the same
/// HummingbirdCore HTTP/1 server the edge runs on, with no cache logic: the ceiling an edge
/// on this server can reach, beside nginx and Varnish in `scripts/bench-edge`.
enum EdgeLimitPeer {
    static func run(port: Int, directory: String) async throws {
        var bodies: [String: ByteBuffer] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            if let data = FileManager.default.contents(atPath: directory + "/" + name) {
                bodies["/" + name] = ByteBuffer(bytes: data)
            }
        }
        let files = bodies
        let logger = Logger(label: "edge-limit", factory: { _ in SwiftLogNoOpLogHandler() })
        let server = try HTTPServerBuilder.http1().buildServer(
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: logger,
            responder: { request, writer, _ in
                let body = files[request.head.path ?? "/"] ?? ByteBuffer()
                var head = HTTPResponse(status: .ok)
                head.headerFields[.contentLength] = String(body.readableBytes)
                head.headerFields[.cacheControl] = "public, max-age=3600"
                try await writer.write(response: head, body: .init(byteBuffer: body))
            }
        )
        try await server.run()
    }
}
