import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WenwexHummingbird

extension Request {
    /// Reads a JSON object body of at most `limit` bytes (an empty body is `{}`).
    ///
    /// A body that is not JSON, or not an object, is a 400; the fields are then read by type
    /// with `JSONFields`, so every wrong field is reported in one response.
    func jsonFields(limit: Int) async throws -> JSONFields {
        if let contentType = headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw Problem(
                .unsupportedMediaType,
                slug: "unsupported-media-type",
                title: "Unsupported media type",
                detail: "Send the body as application/json."
            )
        }
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch {
            throw Problem.tooLarge(limit: limit)
        }
        let data = Data(buffer.readableBytesView)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return JSONFields([:]) }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw Problem.badRequest("The body is not valid JSON.")
        }
        guard case .object(let values) = value else {
            throw Problem.badRequest("The body must be a JSON object, not \(value.kind).")
        }
        return JSONFields(values)
    }
}

extension Problem {
    static func tooLarge(limit: Int) -> Problem {
        Problem(
            .contentTooLarge,
            slug: "too-large",
            title: "Request body too large",
            detail: "The body may be at most \(limit) bytes."
        )
    }
}

/// Encodes a handler's result as a JSON response, with optional extra headers.
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var headers: HTTPFields = [:]
    var value: Value

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data: [UInt8]
        if let writable = value as? any JSONWritable {
            var json = JSONBuffer()
            writable.write(to: &json)
            data = json.bytes
        } else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            data = Array(try encoder.encode(value))
        }
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
