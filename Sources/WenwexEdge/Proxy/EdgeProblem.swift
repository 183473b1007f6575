import HTTPTypes
import Hummingbird
import NIOCore

/// The edge's own answers as `application/problem+json` (RFC 9457).
enum EdgeProblem {
    static func response(
        _ status: HTTPResponse.Status,
        _ detail: String,
        headers extra: HTTPFields = [:]
    ) -> Response {
        answer(status, detail, headers: extra).response
    }

    static func answer(
        _ status: HTTPResponse.Status,
        _ detail: String,
        headers extra: HTTPFields = [:]
    ) -> EdgeAnswer {
        var headers = extra
        headers[.contentType] = "application/problem+json"
        headers[.cacheControl] = "no-store"
        let body =
            #"{"type":"about:blank","title":"\#(escape(status.reasonPhrase))","status":\#(status.code),"detail":"\#(escape(detail))"}"#
        headers[.contentLength] = String(body.utf8.count)
        return EdgeAnswer(status: status, headers: headers, body: ByteBuffer(string: body))
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case _ where scalar.value < 0x20: result += "\\u" + String(format4(scalar.value))
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func format4(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
