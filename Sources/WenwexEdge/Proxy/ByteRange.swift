/// A single `Range: bytes=…` request (RFC 9110 §14.1.2), resolved against a stored length.
/// Several ranges are answered with the whole object, which a server may always do.
public enum ByteRange: Equatable, Sendable {
    /// Serve `lower...upper`.
    case satisfiable(lower: Int, upper: Int)
    /// No byte of the object is in the range: 416.
    case unsatisfiable
    /// Not a single byte range: serve the whole object.
    case ignored

    public init(header: String?, length: Int) {
        guard let header else {
            self = .ignored
            return
        }
        let trimmed = header.trimmingSpaces
        guard trimmed.lowercased().hasPrefix("bytes="), !trimmed.contains(",") else {
            self = .ignored
            return
        }
        let spec = trimmed.dropFirst(6).trimmingSpaces
        guard let dash = spec.firstIndex(of: "-") else {
            self = .ignored
            return
        }
        let first = String(spec[..<dash]).trimmingSpaces
        let last = String(spec[spec.index(after: dash)...]).trimmingSpaces
        if first.isEmpty {
            guard let suffix = CacheDirectives.deltaSeconds(last) else {
                self = .ignored
                return
            }
            self =
                suffix == 0 || length == 0
                ? .unsatisfiable : .satisfiable(lower: max(0, length - suffix), upper: length - 1)
            return
        }
        guard let lower = CacheDirectives.deltaSeconds(first) else {
            self = .ignored
            return
        }
        let upper: Int
        if last.isEmpty {
            upper = length - 1
        } else {
            guard let value = CacheDirectives.deltaSeconds(last), value >= lower else {
                self = .ignored
                return
            }
            upper = min(value, length - 1)
        }
        self = lower >= length ? .unsatisfiable : .satisfiable(lower: lower, upper: upper)
    }
}
