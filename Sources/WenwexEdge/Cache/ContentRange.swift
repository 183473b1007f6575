/// The `Content-Range: bytes first-last/complete` of a stored partial response (RFC 9110
/// §14.4), which the cache keeps when the origin answered a range request with a `206`, so
/// later requests for bytes inside it are served without the origin.
///
/// Only a single range with a known complete length is kept: `bytes 4-9/10`, not
/// `bytes 4-9/*` and not `multipart/byteranges`, since a range is resolved against the
/// complete length before it can be compared.
public struct ContentRange: Sendable, Hashable {
    public var first: Int
    public var last: Int
    public var complete: Int

    public init?(first: Int, last: Int, complete: Int) {
        guard first >= 0, first <= last, last < complete else { return nil }
        self.first = first
        self.last = last
        self.complete = complete
    }

    /// Parses `bytes 4-9/10`; `nil` for anything else.
    public init?(header: String?) {
        guard let header else { return nil }
        let text = header.trimmingSpaces
        guard text.lowercased().hasPrefix("bytes ") else { return nil }
        let spec = text.dropFirst(6).trimmingSpaces
        guard let dash = spec.firstIndex(of: "-"), let slash = spec.firstIndex(of: "/"), dash < slash,
            let first = CacheDirectives.deltaSeconds(String(spec[..<dash])),
            let last = CacheDirectives.deltaSeconds(String(spec[spec.index(after: dash)..<slash])),
            let complete = CacheDirectives.deltaSeconds(String(spec[spec.index(after: slash)...]))
        else { return nil }
        self.init(first: first, last: last, complete: complete)
    }

    /// `bytes 4-9/10`.
    public var header: String { "bytes \(first)-\(last)/\(complete)" }

    /// The number of bytes it holds.
    public var count: Int { last - first + 1 }

    /// Whether it holds every byte of `lower...upper`.
    public func covers(_ lower: Int, _ upper: Int) -> Bool {
        first <= lower && upper <= last
    }

    /// Whether it holds the whole representation.
    public var isComplete: Bool { first == 0 && last == complete - 1 }

    /// The one range holding both, when they overlap or touch; `nil` when there is a gap or the
    /// complete lengths differ (then the representation changed).
    public func union(_ other: ContentRange) -> ContentRange? {
        guard complete == other.complete, other.first <= last + 1, first <= other.last + 1 else { return nil }
        return ContentRange(first: min(first, other.first), last: max(last, other.last), complete: complete)
    }
}
