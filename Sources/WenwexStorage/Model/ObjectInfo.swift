public import Foundation

/// What a store knows about one object without reading it.
public struct ObjectInfo: Sendable, Hashable {
    public var key: ObjectKey
    /// The size in bytes.
    public var size: Int
    /// The entity tag, without quotes: S3's (an MD5 for single-part uploads, `…-N` for
    /// multipart ones) or, on the filesystem, the SHA-256 of the bytes.
    public var etag: String
    public var contentType: String?
    public var lastModified: Date?
    /// User metadata (`x-amz-meta-*` on S3), lowercase names.
    public var metadata: [String: String]

    public init(
        key: ObjectKey,
        size: Int,
        etag: String,
        contentType: String? = nil,
        lastModified: Date? = nil,
        metadata: [String: String] = [:]
    ) {
        self.key = key
        self.size = size
        self.etag = etag
        self.contentType = contentType
        self.lastModified = lastModified
        self.metadata = metadata
    }
}

/// One page of a listing, keys in byte order.
public struct ObjectPage: Sendable {
    public var objects: [ObjectInfo]
    /// Pass it back as `after`/continuation to get the next page; `nil` on the last page.
    public var nextToken: String?

    public init(objects: [ObjectInfo], nextToken: String?) {
        self.objects = objects
        self.nextToken = nextToken
    }
}

/// How to store an object.
public struct PutOptions: Sendable {
    public var contentType: String?
    public var metadata: [String: String]

    public init(contentType: String? = nil, metadata: [String: String] = [:]) {
        self.contentType = contentType
        self.metadata = metadata
    }
}

/// The bytes `lower...upper` of an object (both inclusive, as HTTP's `Range: bytes=`).
public struct ObjectRange: Sendable, Hashable {
    public var lower: Int
    public var upper: Int

    public init(_ lower: Int, _ upper: Int) {
        self.lower = lower
        self.upper = upper
    }

    public var length: Int { upper - lower + 1 }
}

/// The errors every store reports the same way.
public enum StorageError: Error, Sendable, CustomStringConvertible, Equatable {
    case notFound(ObjectKey)
    /// A range that starts past the end of the object.
    case rangeNotSatisfiable(ObjectKey, size: Int)
    /// The store answered, but refused; `message` says what and how to fix it.
    case refused(String)
    /// The store could not be reached or failed after its retries.
    case unavailable(String)

    public var description: String {
        switch self {
        case .notFound(let key): "no object '\(key)'"
        case .rangeNotSatisfiable(let key, let size): "the range is past the end of '\(key)' (\(size) bytes)"
        case .refused(let message), .unavailable(let message): message
        }
    }
}
