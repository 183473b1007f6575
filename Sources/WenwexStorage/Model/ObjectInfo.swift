public import Foundation

/// What a store knows about one object without reading it.
public struct ObjectInfo: Sendable, Hashable {
    /// The key the object is stored under.
    public var key: ObjectKey
    /// The size in bytes.
    public var size: Int
    /// The entity tag, without quotes: S3's (an MD5 for single-part uploads, `…-N` for
    /// multipart ones) or, on the filesystem, the SHA-256 of the bytes.
    public var etag: String
    /// The `Content-Type` the object is served with; `nil` when unknown (S3 listings do not carry it).
    public var contentType: String?
    /// When the object was last written, by the store's clock; `nil` when the store did not say.
    public var lastModified: Date?
    /// User metadata (`x-amz-meta-*` on S3), lowercase names.
    public var metadata: [String: String]

    /// The defaults fit a listing entry, which knows less than ``ObjectStore/head(_:)``.
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
    /// At most the `limit` asked for, in byte order of their keys.
    public var objects: [ObjectInfo]
    /// Pass it back as `list`'s `token` to get the next page; `nil` on the last page. Opaque: the
    /// last key on the filesystem, S3's continuation token on S3.
    public var nextToken: String?

    /// A page as a store returns it.
    public init(objects: [ObjectInfo], nextToken: String?) {
        self.objects = objects
        self.nextToken = nextToken
    }
}

/// How to store an object.
public struct PutOptions: Sendable {
    /// Stored with the object and served back as `Content-Type`; `nil` leaves it to the store.
    public var contentType: String?
    /// User metadata (`x-amz-meta-*` on S3). S3 lower-cases the names, so use lower-case names for
    /// both stores to return the same.
    public var metadata: [String: String]

    /// Defaults: no content type, no metadata.
    public init(contentType: String? = nil, metadata: [String: String] = [:]) {
        self.contentType = contentType
        self.metadata = metadata
    }
}

/// The bytes `lower...upper` of an object (both inclusive, as HTTP's `Range: bytes=`).
public struct ObjectRange: Sendable, Hashable {
    /// The first byte's offset, from 0.
    public var lower: Int
    /// The last byte's offset, inclusive; a store clamps it to the object's last byte.
    public var upper: Int

    /// Not validated here: pass `0 <= lower <= upper`.
    public init(_ lower: Int, _ upper: Int) {
        self.lower = lower
        self.upper = upper
    }

    /// The bytes the range covers, `upper - lower + 1`.
    public var length: Int { upper - lower + 1 }
}

/// The errors every store reports the same way.
public enum StorageError: Error, Sendable, CustomStringConvertible, Equatable {
    /// No object has the key.
    case notFound(ObjectKey)
    /// A range that starts past the end of the object.
    case rangeNotSatisfiable(ObjectKey, size: Int)
    /// The store answered, but refused; `message` says what and how to fix it.
    case refused(String)
    /// The store could not be reached or failed after its retries.
    case unavailable(String)

    /// The message for logs and problem documents; S3's errors arrive here already explained.
    public var description: String {
        switch self {
        case .notFound(let key): "no object '\(key)'"
        case .rangeNotSatisfiable(let key, let size): "the range is past the end of '\(key)' (\(size) bytes)"
        case .refused(let message), .unavailable(let message): message
        }
    }
}
