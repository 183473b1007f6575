import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Request {
    /// Decodes a JSON body of at most `limit` bytes.
    ///
    /// A body that is not JSON is a 400; a field of the wrong type is a validation problem that
    /// names the field (`items[0].quantity`), like the handlers' own checks.
    func decodeJSON<Body: Decodable>(_ type: Body.Type, limit: Int) async throws -> Body {
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
        do {
            return try JSONDecoder().decode(Body.self, from: data.isEmpty ? Data("{}".utf8) : data)
        } catch let error as DecodingError {
            throw Self.problem(for: error)
        }
    }

    static func problem(for error: DecodingError) -> Problem {
        switch error {
        case .typeMismatch(let expected, let context):
            return .validation([.init(field: path(context.codingPath), message: "must be \(describe(expected))")])
        case .valueNotFound(let expected, let context):
            return .validation([
                .init(field: path(context.codingPath), message: "must be \(describe(expected)), not null")
            ])
        case .keyNotFound(let key, let context):
            return .validation([.init(field: path(context.codingPath + [key]), message: "is required")])
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return .validation([.init(field: path(context.codingPath), message: context.debugDescription)])
        default:
            return .badRequest("The body is not valid JSON.")
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text.isEmpty ? "body" : text
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "a \(type)"
        }
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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
