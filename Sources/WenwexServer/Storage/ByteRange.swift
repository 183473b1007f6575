import Foundation

/// A single `Range: bytes=…` request resolved against a body's length (RFC 9110 §14).
enum ByteRange: Equatable {
    /// Serve bytes `lower...upper` with 206.
    case partial(lower: Int, upper: Int)
    /// No usable range: serve everything with 200 (no header, several ranges, another unit).
    case whole
    /// A syntactically valid range that lies past the end: 416.
    case unsatisfiable

    init(header: String?, length: Int) {
        guard let header else {
            self = .whole
            return
        }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes="), !trimmed.contains(",") else {
            self = .whole
            return
        }
        let spec = trimmed.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            self = .whole
            return
        }
        let first = Int(parts[0].trimmingCharacters(in: .whitespaces))
        let last = Int(parts[1].trimmingCharacters(in: .whitespaces))
        switch (parts[0].isEmpty, parts[1].isEmpty, first, last) {
        case (true, false, _, let suffix?) where suffix >= 0:
            // `bytes=-N`: the last N bytes.
            guard suffix > 0, length > 0 else {
                self = .unsatisfiable
                return
            }
            self = .partial(lower: max(0, length - suffix), upper: length - 1)
        case (false, true, let lower?, _) where lower >= 0:
            self = lower < length ? .partial(lower: lower, upper: length - 1) : .unsatisfiable
        case (false, false, let lower?, let upper?) where lower >= 0 && upper >= lower:
            self = lower < length ? .partial(lower: lower, upper: min(upper, length - 1)) : .unsatisfiable
        default:
            self = .whole
        }
    }
}
