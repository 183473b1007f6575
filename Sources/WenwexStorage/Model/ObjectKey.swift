/// A validated object key: safe as an S3 key and as a path under a filesystem store's root.
///
/// Keys come from requests (`/images/<key>`), so validation happens once, here, and a store
/// never sees a key that could name a file outside its root: no empty, `.` or `..` segment
/// (also not percent-encoded, `%2e%2e`), no leading `/`, no backslash, no control characters,
/// at most 1,024 UTF-8 bytes (S3's limit).
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The key as validated: the S3 key verbatim, and (split at `/`) the path under a filesystem root.
    public let rawValue: String

    /// Why a key was refused, phrased for the person who sent it.
    public struct Invalid: Error, Sendable, CustomStringConvertible, Equatable {
        /// The text that was refused, as sent.
        public var key: String
        /// Why, as a clause (`it has a '.' or '..' segment`).
        public var reason: String
        /// `invalid object key '<key>': <reason>`, fit for a 400 answer.
        public var description: String { "invalid object key '\(key)': \(reason)" }
    }

    /// Validates `text` by the rules above; throws ``Invalid`` naming the first rule it breaks.
    public init(_ text: String) throws(Invalid) {
        func refuse(_ reason: String) -> Invalid { Invalid(key: text, reason: reason) }
        guard !text.isEmpty else { throw refuse("it is empty") }
        guard text.utf8.count <= 1024 else { throw refuse("it is longer than 1,024 bytes") }
        guard !text.hasPrefix("/") else { throw refuse("it starts with '/' (keys are relative)") }
        guard !text.contains("\\") else { throw refuse("it contains a backslash") }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw refuse("it contains a control character")
        }
        for segment in text.split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty else { throw refuse("it has an empty path segment ('//' or a trailing '/')") }
            let decoded = Self.percentDecoded(String(segment))
            guard decoded != ".", decoded != ".." else { throw refuse("it has a '.' or '..' segment") }
            guard !decoded.contains("/"), !decoded.contains("\\") else {
                throw refuse("it has an encoded path separator")
            }
        }
        self.rawValue = text
    }

    /// The key's `/`-separated segments.
    public var segments: [Substring] { rawValue.split(separator: "/") }

    /// The key itself.
    public var description: String { rawValue }

    /// Byte order of the UTF-8 keys, as S3 lists them (not `String`'s Unicode order).
    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        // Byte order, as S3 lists keys.
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }

    /// `%XX` sequences decoded (invalid ones kept as written), to catch `%2e%2e`.
    static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
