import HTTPTypes
import Hummingbird
import NIOCore

/// Answers a request from a stored response: `Age`, the client's own conditional request
/// (`If-None-Match`, `If-Modified-Since`) and a single byte range, from a whole response or a
/// stored part that holds it, all without the origin.
enum StoredAnswer {
    static func response(
        _ stored: StoredResponse,
        age: Double,
        method: HTTPRequest.Method,
        request: HTTPFields
    ) -> Response {
        answer(stored, age: age, method: method, request: request).response
    }

    static func answer(
        _ stored: StoredResponse,
        age: Double,
        method: HTTPRequest.Method,
        request: HTTPFields
    ) -> EdgeAnswer {
        var headers = stored.headers
        headers[.age] = ageText(age)
        let length = stored.body.readableBytes
        if let held = stored.contentRange {
            // A stored part: the caller checked that it `serves` this range.
            if case .satisfiable(let lower, let upper) = ByteRange(header: request[.range], length: held.complete),
                held.covers(lower, upper),
                let slice = stored.body.getSlice(
                    at: stored.body.readerIndex + lower - held.first,
                    length: upper - lower + 1
                )
            {
                headers[.contentRange] = "bytes \(lower)-\(upper)/\(held.complete)"
                headers[.contentLength] = String(upper - lower + 1)
                return EdgeAnswer(status: .partialContent, headers: headers, body: slice)
            }
        }
        if stored.status == .ok {
            if notModified(stored.headers, request) {
                headers[.contentLength] = nil
                headers[.contentType] = nil
                return EdgeAnswer(status: .notModified, headers: headers)
            }
            if rangeApplies(stored.headers, request) {
                switch ByteRange(header: request[.range], length: length) {
                case .satisfiable(let lower, let upper):
                    headers[.contentRange] = "bytes \(lower)-\(upper)/\(length)"
                    headers[.contentLength] = String(upper - lower + 1)
                    let slice = stored.body.getSlice(at: stored.body.readerIndex + lower, length: upper - lower + 1)!
                    return EdgeAnswer(status: .partialContent, headers: headers, body: method == .head ? nil : slice)
                case .unsatisfiable:
                    var problem = HTTPFields()
                    problem[.contentRange] = "bytes */\(length)"
                    problem[.contentLength] = "0"
                    return EdgeAnswer(status: .rangeNotSatisfiable, headers: problem)
                case .ignored:
                    break
                }
            }
        }
        if headers[.contentLength] == nil { headers[.contentLength] = String(length) }
        return EdgeAnswer(status: stored.status, headers: headers, body: method == .head ? nil : stored.body)
    }

    /// Whether ``answer(_:age:method:request:)`` would replay `stored` as it is, `Age` aside:
    /// a whole response and a request with no validator or range to apply. Such a hit is
    /// written from ``StoredResponse/wireHead``.
    static func replaysWhole(_ stored: StoredResponse, _ request: HTTPFields) -> Bool {
        if stored.status != .ok { return stored.status != .partialContent }
        return request[.range] == nil && request[.ifNoneMatch] == nil && request[.ifModifiedSince] == nil
    }

    /// The first hour's `Age` values are made once: a hit formats no number.
    private static let ages = (0..<3600).map(String.init)

    static func ageText(_ age: Double) -> String {
        let seconds = Int(min(max(age, 0), Double(Int32.max)).rounded(.down))
        return seconds < ages.count ? ages[seconds] : String(seconds)
    }

    /// RFC 9110 §13.1.2 and §13.1.3: `If-None-Match` by weak comparison, else
    /// `If-Modified-Since` against `Last-Modified`.
    static func notModified(_ stored: HTTPFields, _ request: HTTPFields) -> Bool {
        if let ifNoneMatch = request[values: .ifNoneMatch].nonEmptyJoined {
            if ifNoneMatch.trimmingSpaces == "*" { return true }
            guard let etag = stored[.eTag] else { return false }
            return entityTags(ifNoneMatch).contains(weakForm(etag))
        }
        guard let since = request[.ifModifiedSince].flatMap(HTTPDate.parse),
            let modified = (stored[.lastModified] ?? stored[.date]).flatMap(HTTPDate.parse)
        else { return false }
        return modified <= since
    }

    /// `If-Range` (RFC 9110 §13.1.5): the range applies only while the validator still matches.
    static func rangeApplies(_ stored: HTTPFields, _ request: HTTPFields) -> Bool {
        guard request[.range] != nil else { return false }
        guard let ifRange = request[.ifRange]?.trimmingSpaces else { return true }
        if ifRange.hasPrefix("\"") || ifRange.hasPrefix("W/") {
            guard let etag = stored[.eTag], !etag.hasPrefix("W/"), !ifRange.hasPrefix("W/") else { return false }
            return etag == ifRange
        }
        guard let date = HTTPDate.parse(ifRange), let modified = stored[.lastModified].flatMap(HTTPDate.parse) else {
            return false
        }
        return modified == date
    }

    static func entityTags(_ list: String) -> [String] {
        list.split(separator: ",").map { weakForm($0.trimmingSpaces) }
    }

    static func weakForm(_ tag: String) -> String {
        tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
    }
}

extension Array where Element == String {
    var nonEmptyJoined: String? { isEmpty ? nil : joined(separator: ", ") }
}
