/// One API over every place objects live: the filesystem in dev, any S3-compatible service in
/// staging and prod (AWS S3, Cloudflare R2, MinIO, Ceph, Supabase Storage's S3 endpoint).
///
/// Bodies are streamed both ways; a store never holds a whole object in memory. Semantics
/// follow S3's where stores could differ: `delete` of a missing key succeeds, listings are in
/// byte order of the keys, a `put` replaces an object atomically (readers see the old or the
/// new bytes, never a mix).
public protocol ObjectStore: Sendable {
    /// Stores `body` under `key`, replacing any object there.
    func put(_ key: ObjectKey, body: ObjectBody, options: PutOptions) async throws -> ObjectInfo

    /// The object's bytes, or the bytes of `range` (clamped to its end, as HTTP does); throws
    /// ``StorageError/notFound(_:)`` or ``StorageError/rangeNotSatisfiable(_:size:)``.
    func get(_ key: ObjectKey, range: ObjectRange?) async throws -> ObjectDownload

    /// What the object is; `nil` when there is none.
    func head(_ key: ObjectKey) async throws -> ObjectInfo?

    /// Removes the object; succeeds when there is none.
    func delete(_ key: ObjectKey) async throws

    /// At most `limit` objects whose keys start with `prefix`, after the page `token` names.
    func list(prefix: String, token: String?, limit: Int) async throws -> ObjectPage

    /// A server-side copy (no bytes travel through this process on S3).
    func copy(_ source: ObjectKey, to destination: ObjectKey) async throws -> ObjectInfo
}

extension ObjectStore {
    /// Stores bytes already in memory (small objects, tests); stream anything large through
    /// ``put(_:body:options:)``.
    public func put(_ key: ObjectKey, bytes: some Sequence<UInt8>, options: PutOptions = .init()) async throws
        -> ObjectInfo
    {
        try await put(key, body: .bytes(bytes), options: options)
    }

    /// The whole object; throws ``StorageError/notFound(_:)`` when there is none.
    public func get(_ key: ObjectKey) async throws -> ObjectDownload {
        try await get(key, range: nil)
    }

    /// Every object under `prefix`, page by page.
    public func listAll(prefix: String, pageSize: Int = 1000) async throws -> [ObjectInfo] {
        var all: [ObjectInfo] = []
        var token: String?
        repeat {
            let page = try await list(prefix: prefix, token: token, limit: pageSize)
            all += page.objects
            token = page.nextToken
        } while token != nil
        return all
    }
}
