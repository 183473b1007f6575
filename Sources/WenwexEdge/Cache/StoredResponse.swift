public import HTTPTypes
import Hummingbird
public import NIOCore

/// One response in the cache: the origin's status, headers and whole body, with the clock
/// readings RFC 9111's age calculation needs and the request headers its `Vary` selected on.
public struct StoredResponse: Sendable {
    public private(set) var status: HTTPResponse.Status
    /// The origin's headers, minus hop-by-hop fields; replayed as they are. Changed only by
    /// ``refreshed(by:)``, which renders ``wireHead`` again.
    public internal(set) var headers: HTTPFields
    public private(set) var body: ByteBuffer
    /// When the request that produced it was sent, and when its answer arrived (seconds since 1970).
    public var requestTime: Double
    public var responseTime: Double
    /// The `Vary` field names (lower-cased) and the values the request had for them.
    public var selectingHeaders: [SelectingHeader]
    /// `Surrogate-Key` / `Cache-Tag` values, for purging by tag.
    public var tags: [String]

    /// The freshness rules this response's headers set, read when it was stored or refreshed.
    public private(set) var policy: FreshnessPolicy
    /// RFC 9111 §4.2.3's corrected initial age, in seconds.
    public private(set) var correctedInitialAge: Double
    /// The status line and every field a whole replay sends but `Age` (and `Date` when the
    /// origin sent none), as HTTP/1.1 bytes: rendered once when stored, so a hit formats nothing.
    private(set) var wireHead: WireAnswer.ReplayHead

    public init(
        status: HTTPResponse.Status,
        headers: HTTPFields,
        body: ByteBuffer,
        requestTime: Double,
        responseTime: Double,
        selectingHeaders: [SelectingHeader],
        tags: [String]
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.requestTime = requestTime
        self.responseTime = responseTime
        self.selectingHeaders = selectingHeaders
        self.tags = tags
        policy = FreshnessPolicy(headers: headers, status: status)
        correctedInitialAge = Self.correctedInitialAge(headers, requestTime: requestTime, responseTime: responseTime)
        wireHead = WireAnswer.replayHead(status: status, headers: headers, bodyLength: body.readableBytes)
    }

    /// Reads the headers again after they changed (a 304 refreshed them).
    mutating func rederive() {
        policy = FreshnessPolicy(headers: headers, status: status)
        correctedInitialAge = Self.correctedInitialAge(headers, requestTime: requestTime, responseTime: responseTime)
        wireHead = WireAnswer.replayHead(status: status, headers: headers, bodyLength: body.readableBytes)
    }

    static func correctedInitialAge(_ headers: HTTPFields, requestTime: Double, responseTime: Double) -> Double {
        let date = headers[.date].flatMap(HTTPDate.parse)
        let apparentAge = max(0, responseTime - (date ?? responseTime))
        let responseDelay = max(0, responseTime - requestTime)
        let ageValue = Double(FreshnessPolicy.ageValue(headers) ?? 0)
        return max(apparentAge, ageValue + responseDelay)
    }

    public struct SelectingHeader: Sendable, Equatable {
        public var name: String
        public var value: String?
    }

    /// What the entry costs the memory tier: body plus headers plus a fixed overhead.
    public var cost: Int {
        body.readableBytes + wireHead.bytes.readableBytes
            + headers.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count + 32 } + 256
    }

    /// Age as RFC 9111 §4.2.3 computes it, in seconds at `now`.
    public func currentAge(at now: Double) -> Double {
        correctedInitialAge + max(0, now - responseTime)
    }

    /// The bytes a stored `206` holds; `nil` for a whole response.
    public var contentRange: ContentRange? {
        status == .partialContent ? ContentRange(header: headers[.contentRange]) : nil
    }

    /// Whether this entry can answer a request by itself: a whole response always can; a
    /// partial one (whose body is as long as its `Content-Range` says) only a `GET` for a single
    /// range inside what it holds, with no validator to compare (`If-None-Match`,
    /// `If-Modified-Since`) and an `If-Range` that still matches. Anything else is a miss, and
    /// the origin's answer may complete the entry.
    public func serves(_ method: HTTPRequest.Method, _ request: HTTPFields) -> Bool {
        guard let held = contentRange else { return true }
        guard held.count == body.readableBytes, method == .get, request[.ifNoneMatch] == nil,
            request[.ifModifiedSince] == nil,
            StoredAnswer.rangeApplies(headers, request),
            case .satisfiable(let lower, let upper) = ByteRange(header: request[.range], length: held.complete)
        else { return false }
        return held.covers(lower, upper)
    }

    /// Whether `request`'s headers select this variant.
    public func matches(_ request: HTTPFields) -> Bool {
        SelectingHeaderValue.select(selectingHeaders, request)
    }
}
