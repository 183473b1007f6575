public import AsyncHTTPClient
import Crypto
public import Foundation
import NIOCore
import NIOHTTP1

/// An ``ObjectStore`` over the S3 API: AWS S3 or any service that speaks it (Cloudflare R2,
/// MinIO, Ceph, Supabase Storage's S3 endpoint, moto in tests).
///
/// Requests are signed with ``SigV4Signer`` over AsyncHTTPClient. Every body that is sent is a
/// bounded buffer (a small object, or one part of a multipart upload) or a part of a file, and
/// its SHA-256 is signed, so S3 rejects a corrupted part and a retry can resend it. Objects
/// larger than ``S3Configuration/partSize`` go up as a multipart upload with at most
/// ``S3Configuration/partsInFlight`` parts at once (``S3Configuration/filePartsInFlight``
/// from a file); any failure aborts the upload, so no parts are left behind to be billed.
public struct S3ObjectStore: ObjectStore {
    /// Where the bucket is and the credentials it is reached with.
    public let configuration: S3Configuration
    let client: HTTPClient
    let signer: SigV4Signer

    /// Sends through `client` (AsyncHTTPClient's shared client by default); nothing is contacted
    /// until the first request.
    public init(_ configuration: S3Configuration, client: HTTPClient = .shared) {
        self.configuration = configuration
        self.client = client
        self.signer = SigV4Signer(
            accessKeyID: configuration.accessKeyID,
            secretAccessKey: configuration.secretAccessKey,
            sessionToken: configuration.sessionToken,
            region: configuration.region
        )
    }

    // MARK: ObjectStore

    /// A body smaller than ``S3Configuration/partSize`` goes up in one `PUT`, a larger one as a
    /// multipart upload. The returned info is built from the request (its `lastModified` is this
    /// machine's clock), not read back.
    public func put(_ key: ObjectKey, body: ObjectBody, options: PutOptions) async throws -> ObjectInfo {
        let partSize = configuration.partSize
        if let file = body.sourceFile, file.size > partSize {
            return try await multipartPut(key, file: file, options: options)
        }
        var iterator = body.makeAsyncIterator()
        // Parts are ByteBuffers filled in place and sent as they are: no copy per part.
        var first = ByteBuffer()
        var leftover: ByteBuffer?
        try await Self.fill(&first, upTo: partSize, pending: &leftover, from: &iterator)
        if leftover == nil, first.readableBytes < partSize {
            // One request: the whole body fits in one part.
            let response = try await send(
                "PUT",
                key: key.rawValue,
                headers: Self.objectHeaders(options),
                body: first
            )
            try await expect(response, [200], key: key)
            return ObjectInfo(
                key: key,
                size: first.readableBytes,
                etag: Self.unquoted(response.headers.first(name: "ETag") ?? ""),
                contentType: options.contentType,
                lastModified: Date(),
                metadata: options.metadata
            )
        }
        return try await multipartPut(key, first: first, leftover: leftover, rest: &iterator, options: options)
    }

    /// Throws ``StorageError/notFound(_:)`` or ``StorageError/rangeNotSatisfiable(_:size:)``; the body
    /// streams straight from the HTTP response.
    public func get(_ key: ObjectKey, range: ObjectRange?) async throws -> ObjectDownload {
        var headers: [(String, String)] = []
        if let range { headers.append(("Range", "bytes=\(range.lower)-\(range.upper)")) }
        let response = try await send("GET", key: key.rawValue, headers: headers)
        if response.status == .notFound { throw await missing(response, key) }
        if response.status == .rangeNotSatisfiable {
            let total = response.headers.first(name: "Content-Range").flatMap {
                Int($0.split(separator: "/").last ?? "")
            }
            throw StorageError.rangeNotSatisfiable(key, size: total ?? 0)
        }
        try await expect(response, [200, 206], key: key)
        var info = Self.info(key, response.headers)
        var served: ObjectRange?
        if response.status == .partialContent, let contentRange = response.headers.first(name: "Content-Range") {
            // bytes 0-9/1234
            let parts = contentRange.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "/" })
            if parts.count == 4, let lower = Int(parts[1]), let upper = Int(parts[2]) {
                served = ObjectRange(lower, upper)
                info.size = Int(parts[3]) ?? info.size
            }
        }
        return ObjectDownload(info: info, range: served, body: ObjectBody(response.body))
    }

    /// `nil` on 404. S3 answers a missing key with 403 when the credentials may not list the bucket,
    /// and that throws.
    public func head(_ key: ObjectKey) async throws -> ObjectInfo? {
        let response = try await send("HEAD", key: key.rawValue)
        if response.status == .notFound { return nil }
        try await expect(response, [200], key: key)
        return Self.info(key, response.headers)
    }

    /// Accepts 200, 204 and 404, so deleting a missing key succeeds on every S3-compatible service.
    public func delete(_ key: ObjectKey) async throws {
        let response = try await send("DELETE", key: key.rawValue)
        // A missing key is already deleted; a missing bucket is a configuration problem.
        if response.status == .notFound {
            let missing = await missing(response, key)
            if missing != .notFound(key) { throw missing }
            return
        }
        try await expect(response, [200, 204], key: key)
    }

    /// ListObjectsV2 with `limit` clamped to 1...1000 (S3's maximum); `nextToken` is S3's opaque
    /// continuation token. Entries carry no content type or metadata (ask ``head(_:)``), and keys
    /// that are not valid ``ObjectKey``s are left out.
    public func list(prefix: String, token: String?, limit: Int) async throws -> ObjectPage {
        var query = [("list-type", "2"), ("max-keys", String(max(1, min(limit, 1000)))), ("prefix", prefix)]
        if let token { query.append(("continuation-token", token)) }
        let response = try await send("GET", key: nil, query: query)
        try await expect(response, [200], key: nil)
        let xml = S3XML(Data(try await Self.collect(response, limit: 16 << 20)), group: "Contents")
        let objects = xml.groups.compactMap { entry -> ObjectInfo? in
            guard let text = entry["Key"], let key = try? ObjectKey(text) else { return nil }
            return ObjectInfo(
                key: key,
                size: Int(entry["Size"] ?? "") ?? 0,
                etag: Self.unquoted(entry["ETag"] ?? ""),
                lastModified: entry["LastModified"].flatMap(Self.iso8601)
            )
        }
        let truncated = xml.values["IsTruncated"] == "true"
        return ObjectPage(objects: objects, nextToken: truncated ? xml.values["NextContinuationToken"] : nil)
    }

    /// A server-side `CopyObject`, then a `HEAD` of the destination for the info it returns.
    public func copy(_ source: ObjectKey, to destination: ObjectKey) async throws -> ObjectInfo {
        let response = try await send(
            "PUT",
            key: destination.rawValue,
            headers: [("x-amz-copy-source", "/\(configuration.bucket)/\(SigV4Signer.encodeKeyPath(source.rawValue))")]
        )
        if response.status == .notFound { throw await missing(response, source) }
        try await expect(response, [200], key: source)
        // S3 can answer 200 and report a copy that failed part-way in the body.
        let xml = S3XML(Data(try await Self.collect(response, limit: 1 << 20)))
        if let code = xml.values["Code"] {
            throw StorageError.refused(
                "copying '\(source)' to '\(destination)' failed: \(code) \(xml.values["Message"] ?? "")"
            )
        }
        guard let info = try await head(destination) else { throw StorageError.notFound(destination) }
        return info
    }

    // MARK: Multipart

    /// Multipart uploads in progress in the bucket, for clean-up and for tests that check an
    /// aborted upload left nothing.
    public func multipartUploadsInProgress() async throws -> [(key: String, uploadID: String)] {
        let response = try await send("GET", key: nil, query: [("uploads", "")])
        try await expect(response, [200], key: nil)
        let xml = S3XML(Data(try await Self.collect(response, limit: 16 << 20)), group: "Upload")
        return xml.groups.compactMap { entry in
            guard let key = entry["Key"], let id = entry["UploadId"] else { return nil }
            return (key, id)
        }
    }

    /// A multipart upload of a stream: each part is filled in memory, then sent while the next
    /// one fills, at most ``S3Configuration/partsInFlight`` at once.
    func multipartPut(
        _ key: ObjectKey,
        first: ByteBuffer,
        leftover: ByteBuffer?,
        rest iterator: inout ObjectBody.AsyncIterator,
        options: PutOptions
    ) async throws -> ObjectInfo {
        try await multipartUpload(key, options: options) { uploadID in
            var etags: [Int: String] = [:]
            var size = first.readableBytes
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                var number = 1
                var inFlight = 0
                group.addTask { (1, try await uploadPart(key, uploadID: uploadID, number: 1, bytes: first)) }
                inFlight += 1
                var pending = leftover
                while true {
                    var part = ByteBuffer()
                    part.reserveCapacity(configuration.partSize)
                    try await Self.fill(&part, upTo: configuration.partSize, pending: &pending, from: &iterator)
                    guard part.readableBytes > 0 else { break }
                    number += 1
                    size += part.readableBytes
                    if inFlight >= configuration.partsInFlight, let (done, etag) = try await group.next() {
                        etags[done] = etag
                        inFlight -= 1
                    }
                    let bytes = part
                    let partNumber = number
                    group.addTask {
                        (partNumber, try await uploadPart(key, uploadID: uploadID, number: partNumber, bytes: bytes))
                    }
                    inFlight += 1
                }
                for try await (done, etag) in group { etags[done] = etag }
            }
            return (etags, size)
        }
    }

    /// A multipart upload of a file: each part is read from the file twice, once to sign its
    /// SHA-256 and once as it is sent, so ``S3Configuration/filePartsInFlight`` parts go up at
    /// once while the process holds a few hundred kilobytes per part, not the part.
    func multipartPut(_ key: ObjectKey, file: ObjectBody.SourceFile, options: PutOptions) async throws -> ObjectInfo {
        try await multipartUpload(key, options: options) { uploadID in
            let partSize = configuration.partSize
            let count = (file.size + partSize - 1) / partSize
            var etags: [Int: String] = [:]
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                var inFlight = 0
                for number in 1...count {
                    if inFlight >= configuration.filePartsInFlight, let (done, etag) = try await group.next() {
                        etags[done] = etag
                        inFlight -= 1
                    }
                    let offset = (number - 1) * partSize
                    let length = min(partSize, file.size - offset)
                    group.addTask {
                        let hash = try Self.sha256(of: file.url, offset: offset, length: length)
                        let response = try await send(
                            "PUT",
                            key: key.rawValue,
                            query: [("partNumber", String(number)), ("uploadId", uploadID)],
                            payload: .fileSegment(url: file.url, offset: offset, length: length, sha256: hash)
                        )
                        return (number, try await partETag(response, key: key, number: number))
                    }
                    inFlight += 1
                }
                for try await (done, etag) in group { etags[done] = etag }
            }
            return (etags, file.size)
        }
    }

    /// Creates a multipart upload, lets `uploadParts` send its parts (returning each part's
    /// ETag and the total size), and completes it; on any failure the upload is aborted, so no
    /// parts are left behind to be stored and billed.
    func multipartUpload(
        _ key: ObjectKey,
        options: PutOptions,
        uploadParts: (_ uploadID: String) async throws -> (etags: [Int: String], size: Int)
    ) async throws -> ObjectInfo {
        let created = try await send(
            "POST",
            key: key.rawValue,
            query: [("uploads", "")],
            headers: Self.objectHeaders(options)
        )
        try await expect(created, [200], key: key)
        let createdXML = S3XML(Data(try await Self.collect(created, limit: 1 << 20)))
        guard let uploadID = createdXML.values["UploadId"] else {
            throw StorageError.refused("S3 did not return an UploadId for the multipart upload of '\(key)'")
        }
        do {
            let (etags, size) = try await uploadParts(uploadID)
            let parts = etags.keys.sorted().map {
                "<Part><PartNumber>\($0)</PartNumber><ETag>\"\(etags[$0]!)\"</ETag></Part>"
            }.joined()
            let body = ByteBuffer(string: "<CompleteMultipartUpload>\(parts)</CompleteMultipartUpload>")
            let completed = try await send("POST", key: key.rawValue, query: [("uploadId", uploadID)], body: body)
            try await expect(completed, [200], key: key)
            let completedBody = try await Self.collect(completed, limit: 1 << 20)
            let xml = S3XML(Data(completedBody))
            // S3 can answer 200 with an error document when completing fails late.
            if let code = xml.values["Code"] {
                throw StorageError.refused(
                    "completing the upload of '\(key)' failed: \(code) \(xml.values["Message"] ?? "")"
                )
            }
            return ObjectInfo(
                key: key,
                size: size,
                etag: Self.unquoted(xml.values["ETag"] ?? ""),
                contentType: options.contentType,
                lastModified: Date(),
                metadata: options.metadata
            )
        } catch {
            // Nothing left behind: parts of an unfinished upload are stored (and billed) until aborted.
            if let aborted = try? await send("DELETE", key: key.rawValue, query: [("uploadId", uploadID)]) {
                _ = try? await Self.collect(aborted, limit: 1 << 20)
            }
            throw error
        }
    }

    /// How much of a file a part reads at a time, to hash it and to send it: what a part in
    /// flight holds.
    static let fileChunk = 256 << 10

    /// The SHA-256 of `length` bytes of a file from `offset`, in hex, read ``fileChunk`` at a time.
    static func sha256(of url: URL, offset: Int, length: Int) throws -> String {
        let reader = FileChunkReader(url: url, start: offset, length: length, chunk: fileChunk)
        let digest = StreamDigest()
        while let chunk = try reader.next() { digest.add(chunk) }
        guard digest.count == length else {
            throw StorageError.refused("\(url.path) changed while it was being uploaded (it is shorter than it was)")
        }
        return digest.hex()
    }

    /// Moves bytes into `part` until it holds `size` or the body ends: first what is `pending`
    /// from the last fill, then from `iterator`; what does not fit stays `pending`.
    static func fill(
        _ part: inout ByteBuffer,
        upTo size: Int,
        pending: inout ByteBuffer?,
        from iterator: inout ObjectBody.AsyncIterator
    ) async throws {
        while part.readableBytes < size {
            if pending == nil { pending = try await iterator.next() }
            guard var buffer = pending else { return }
            let take = min(buffer.readableBytes, size - part.readableBytes)
            if let slice = buffer.readSlice(length: take) { part.writeImmutableBuffer(slice) }
            pending = buffer.readableBytes > 0 ? buffer : nil
        }
    }

    func uploadPart(_ key: ObjectKey, uploadID: String, number: Int, bytes: ByteBuffer) async throws -> String {
        let response = try await send(
            "PUT",
            key: key.rawValue,
            query: [("partNumber", String(number)), ("uploadId", uploadID)],
            body: bytes
        )
        return try await partETag(response, key: key, number: number)
    }

    /// The ETag S3 gave an uploaded part, after checking the answer.
    func partETag(_ response: HTTPClientResponse, key: ObjectKey, number: Int) async throws -> String {
        try await expect(response, [200], key: key)
        _ = try await Self.collect(response, limit: 1 << 20)
        guard let etag = response.headers.first(name: "ETag") else {
            throw StorageError.refused("S3 returned no ETag for part \(number) of '\(key)'")
        }
        return Self.unquoted(etag)
    }

    // MARK: Requests

    /// Signs and sends one request, retrying 5xx answers, throttling and dropped connections
    /// with exponential backoff and jitter. `body` is small enough to resend.
    func send(
        _ method: String,
        key: String?,
        query: [(String, String)] = [],
        headers extra: [(String, String)] = [],
        body: ByteBuffer = ByteBuffer()
    ) async throws -> HTTPClientResponse {
        try await send(method, key: key, query: query, headers: extra, payload: .buffer(body))
    }

    /// What a request sends: bytes in memory, or part of a file (read afresh for each attempt)
    /// with its SHA-256 already worked out.
    enum Payload: Sendable {
        case buffer(ByteBuffer)
        case fileSegment(url: URL, offset: Int, length: Int, sha256: String)
    }

    func send(
        _ method: String,
        key: String?,
        query: [(String, String)] = [],
        headers extra: [(String, String)] = [],
        payload: Payload
    ) async throws -> HTTPClientResponse {
        let location = configuration.url(key: key, query: query.map { (name: $0.0, value: $0.1) })
        let payloadHash =
            switch payload {
            case .buffer(let body): SigV4Signer.hex(body.withUnsafeReadableBytes { SHA256.hash(data: $0) })
            case .fileSegment(_, _, _, let sha256): sha256
            }
        var attempt = 0
        while true {
            attempt += 1
            var signed: [(name: String, value: String)] = [
                ("host", location.host), ("x-amz-content-sha256", payloadHash),
            ]
            signed += extra.map { (name: $0.0, value: $0.1) }
            let signature = signer.sign(
                .init(
                    method: method,
                    path: location.path,
                    query: query.map { (name: $0.0, value: $0.1) },
                    headers: signed,
                    payloadHash: payloadHash
                ),
                date: Date()
            )
            var request = HTTPClientRequest(url: location.url)
            request.method = HTTPMethod(rawValue: method)
            for (name, value) in signed where name != "host" { request.headers.add(name: name, value: value) }
            request.headers.add(name: "x-amz-date", value: signature.amzDate)
            if let token = configuration.sessionToken {
                request.headers.add(name: "x-amz-security-token", value: token)
            }
            request.headers.add(name: "Authorization", value: signature.authorization)
            switch payload {
            case .buffer(let body):
                if body.readableBytes > 0 || method == "PUT" || method == "POST" { request.body = .bytes(body) }
            case .fileSegment(let url, let offset, let length, _):
                request.body = .stream(
                    ObjectBody.segment(of: url, offset: offset, length: length, chunk: Self.fileChunk),
                    length: .known(Int64(length))
                )
            }
            do {
                let response = try await client.execute(request, timeout: .seconds(120))
                let retryable = response.status.code >= 500 || response.status == .tooManyRequests
                guard retryable, attempt < configuration.maxAttempts else { return response }
                _ = try? await Self.collect(response, limit: 1 << 20)
            } catch let error as HTTPClientError where attempt < configuration.maxAttempts && Self.isTransient(error) {
                _ = error
            } catch {
                throw StorageError.unavailable(
                    "cannot reach S3 at \(configuration.endpoint.absoluteString): \(error)"
                )
            }
            // 100 ms, 200 ms, 400 ms … with up to 50 % jitter, so retrying clients spread out.
            let base = 100 * (1 << (attempt - 1))
            try await Task.sleep(for: .milliseconds(base + Int.random(in: 0...(base / 2))))
        }
    }

    static func isTransient(_ error: HTTPClientError) -> Bool {
        [.remoteConnectionClosed, .connectTimeout, .readTimeout, .deadlineExceeded].contains(error)
    }

    /// What a 404 means: no object `key`, or (its error document says `NoSuchBucket`) no bucket,
    /// which is the configuration's problem and explained as such. (A `HEAD` gets no document,
    /// so there it always reads as no object.)
    func missing(_ response: HTTPClientResponse, _ key: ObjectKey) async -> StorageError {
        let xml = S3XML(Data((try? await Self.collect(response, limit: 64 << 10)) ?? []))
        guard xml.values["Code"] == "NoSuchBucket" else { return .notFound(key) }
        return S3ErrorExplanation.error(
            status: 404,
            code: "NoSuchBucket",
            message: xml.values["Message"],
            bucketRegion: nil,
            configuration: configuration,
            key: key
        )
    }

    /// Throws the S3 error the response carries unless its status is one of `accepted`.
    func expect(_ response: HTTPClientResponse, _ accepted: Set<UInt>, key: ObjectKey?) async throws {
        guard !accepted.contains(response.status.code) else { return }
        let body = (try? await Self.collect(response, limit: 64 << 10)) ?? []
        let xml = S3XML(Data(body))
        throw S3ErrorExplanation.error(
            status: Int(response.status.code),
            code: xml.values["Code"],
            message: xml.values["Message"],
            bucketRegion: response.headers.first(name: "x-amz-bucket-region") ?? xml.values["Region"],
            configuration: configuration,
            key: key
        )
    }

    static func collect(_ response: HTTPClientResponse, limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await buffer in response.body {
            guard bytes.count + buffer.readableBytes <= limit else { break }
            bytes += buffer.readableBytesView
        }
        return bytes
    }

    static func objectHeaders(_ options: PutOptions) -> [(String, String)] {
        var headers: [(String, String)] = []
        if let contentType = options.contentType { headers.append(("Content-Type", contentType)) }
        for (name, value) in options.metadata.sorted(by: { $0.key < $1.key }) {
            headers.append(("x-amz-meta-\(name.lowercased())", value))
        }
        return headers
    }

    static func info(_ key: ObjectKey, _ headers: HTTPHeaders) -> ObjectInfo {
        var metadata: [String: String] = [:]
        for (name, value) in headers where name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(name.lowercased().dropFirst("x-amz-meta-".count))] = value
        }
        return ObjectInfo(
            key: key,
            size: headers.first(name: "Content-Length").flatMap { Int($0) } ?? 0,
            etag: unquoted(headers.first(name: "ETag") ?? ""),
            contentType: headers.first(name: "Content-Type"),
            lastModified: headers.first(name: "Last-Modified").flatMap(httpDate),
            metadata: metadata
        )
    }

    static func unquoted(_ etag: String) -> String {
        etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    static func iso8601(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
