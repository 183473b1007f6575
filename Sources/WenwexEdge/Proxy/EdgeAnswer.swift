public import HTTPTypes
public import Hummingbird
public import NIOCore

/// A whole answer the edge makes itself (a cache hit, a guard's refusal): status, headers and a
/// body already in memory, so it can be written on the event loop or wrapped as a ``Response``.
public struct EdgeAnswer: Sendable {
    public var status: HTTPResponse.Status
    public var headers: HTTPFields
    /// `nil` for an answer without a body (HEAD, 304).
    public var body: ByteBuffer?

    public init(status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var response: Response {
        Response(status: status, headers: headers, body: body.map { ResponseBody(byteBuffer: $0) } ?? ResponseBody())
    }
}
