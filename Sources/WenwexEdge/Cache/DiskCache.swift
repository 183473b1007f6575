import Crypto
public import Foundation
public import HTTPTypes
import NIOCore
import NIOPosix
import Synchronization

/// The edge's optional disk tier: responses kept in files under one directory, bounded in bytes
/// and evicting the least recently used first, behind the memory tier.
///
/// A response the memory tier had to evict, or one stored before the node restarted, is read
/// back from here instead of from the origin. Each entry is one file: a JSON header (status,
/// headers, clock readings, `Vary` selection, tags) and the body. Files are written to a
/// temporary name and renamed, so a crash leaves either the old entry or the new one; the index
/// lives in memory and is rebuilt from the files' headers at start. File reads and writes run
/// on NIO's blocking thread pool, never on the cooperative threads that serve hits.
public final class DiskCache: Sendable {
    public let directory: URL
    /// The most bytes the files may take together.
    public let capacity: Int
    private let state: Mutex<State>

    /// Opens (creating it when missing) `directory` and indexes the entries already there;
    /// unreadable files are removed. Throws when the directory cannot be created or read.
    public init(directory: URL, capacity: Int) throws {
        self.directory = directory
        self.capacity = capacity
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var state = State()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        var found: [(key: String, entry: Entry, modified: Date)] = []
        for name in names {
            let url = directory.appendingPathComponent(name)
            guard name.hasSuffix(Self.suffix) else {
                if name.hasPrefix(Self.temporaryPrefix) { try? FileManager.default.removeItem(at: url) }
                continue
            }
            let key = String(name.dropLast(Self.suffix.count))
            guard let header = try? Self.readHeader(url),
                let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                let size = attributes[.size] as? Int
            else {
                try? FileManager.default.removeItem(at: url)
                continue
            }
            let entry = Entry(
                target: header.target,
                selectingHeaders: header.selectingHeaders.map { .init(name: $0.name, value: $0.value) },
                tags: header.tags,
                bytes: size
            )
            found.append((key, entry, attributes[.modificationDate] as? Date ?? .distantPast))
        }
        for (key, entry, _) in found.sorted(by: { $0.modified < $1.modified }) { state.insert(key, entry) }
        self.state = Mutex(state)
        evictBeyondCapacity()
    }

    /// Entries and the bytes their files take.
    public var usage: (entries: Int, bytes: Int) {
        state.withLock { ($0.entries.count, $0.bytes) }
    }

    /// The variant of `target` that `requestHeaders` select, read from its file; `nil` when
    /// there is none or its file is gone.
    public func lookup(_ target: String, requestHeaders: HTTPFields) async -> StoredResponse? {
        let key: String? = state.withLock { state in
            guard let keys = state.byTarget[target] else { return nil }
            for key in keys.sorted() {
                guard let entry = state.entries[key],
                    SelectingHeaderValue.select(entry.selectingHeaders, requestHeaders)
                else { continue }
                state.touch(key)
                return key
            }
            return nil
        }
        guard let key else { return nil }
        let url = fileURL(key)
        let data = try? await NIOThreadPool.singleton.runIfActive { try Data(contentsOf: url) }
        guard let data, let response = Self.decode(data) else {
            state.withLock { $0.remove(key) }
            return nil
        }
        return response
    }

    /// Writes `response` for `target`, replacing the variant with the same selecting headers.
    /// A purge that runs while the file is written wins: the new file is dropped.
    public func store(_ response: StoredResponse, for target: String) async {
        let data = Self.encode(response, target: target)
        guard data.count <= capacity else { return }
        let key = Self.key(target, response.selectingHeaders)
        let epoch = state.withLock { $0.epoch }
        let url = fileURL(key)
        let temporary = directory.appendingPathComponent(Self.temporaryPrefix + UUID().uuidString)
        do {
            try await NIOThreadPool.singleton.runIfActive {
                try data.write(to: temporary)
                // rename(2) replaces the old file in one step, where it exists.
                guard rename(temporary.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            return
        }
        let current = state.withLock { state -> Bool in
            guard state.epoch == epoch else { return false }
            state.remove(key)
            state.insert(
                key,
                Entry(
                    target: target,
                    selectingHeaders: response.selectingHeaders,
                    tags: response.tags,
                    bytes: data.count
                )
            )
            return true
        }
        if !current { try? FileManager.default.removeItem(at: url) }
        evictBeyondCapacity()
    }

    /// Forgets every variant of `target` and deletes its files; returns how many went.
    @discardableResult
    public func remove(target: String) -> Int {
        forget { state in state.byTarget[target].map(Array.init) ?? [] }
    }

    /// Forgets every entry whose target starts with `prefix`.
    @discardableResult
    public func remove(prefix: String) -> Int {
        forget { state in state.entries.filter { $0.value.target.hasPrefix(prefix) }.map(\.key) }
    }

    /// Forgets every entry tagged `tag`.
    @discardableResult
    public func remove(tag: String) -> Int {
        forget { state in state.byTag[tag].map(Array.init) ?? [] }
    }

    /// Forgets everything.
    public func removeAll() {
        _ = forget { state in Array(state.entries.keys) }
    }

    private func forget(_ choose: (State) -> [String]) -> Int {
        let keys = state.withLock { state -> [String] in
            state.epoch += 1
            let keys = choose(state)
            keys.forEach { state.remove($0) }
            return keys
        }
        for key in keys { try? FileManager.default.removeItem(at: fileURL(key)) }
        return keys.count
    }

    private func evictBeyondCapacity() {
        let evicted = state.withLock { state -> [String] in
            var evicted: [String] = []
            while state.bytes > capacity, let oldest = state.oldest() {
                state.remove(oldest)
                evicted.append(oldest)
            }
            return evicted
        }
        for key in evicted { try? FileManager.default.removeItem(at: fileURL(key)) }
    }

    private func fileURL(_ key: String) -> URL { directory.appendingPathComponent(key + Self.suffix) }

    private static let suffix = ".entry"
    private static let temporaryPrefix = ".writing-"
    private static let magic = Array("WWXC1\n".utf8)

    /// A stable name for a target's variant: SHA-256 of the target and its selecting headers.
    static func key(_ target: String, _ selecting: [StoredResponse.SelectingHeader]) -> String {
        var text = target
        for header in selecting { text += "\u{0}\(header.name)\u{0}\(header.value ?? "\u{1}")" }
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: The file format

    /// Everything but the body, as JSON.
    struct Header: Codable {
        struct Field: Codable {
            var name: String
            var value: String
        }
        struct Selecting: Codable {
            var name: String
            var value: String?
        }
        var target: String
        var status: Int
        var reason: String
        var headers: [Field]
        var requestTime: Double
        var responseTime: Double
        var selectingHeaders: [Selecting]
        var tags: [String]
    }

    /// `WWXC1\n`, the header's length (4 bytes, big-endian), the header, the body.
    static func encode(_ response: StoredResponse, target: String) -> Data {
        let header = Header(
            target: target,
            status: response.status.code,
            reason: response.status.reasonPhrase,
            headers: response.headers.map { .init(name: $0.name.rawName, value: $0.value) },
            requestTime: response.requestTime,
            responseTime: response.responseTime,
            selectingHeaders: response.selectingHeaders.map { .init(name: $0.name, value: $0.value) },
            tags: response.tags
        )
        let json = (try? JSONEncoder().encode(header)) ?? Data()
        var data = Data(magic)
        withUnsafeBytes(of: UInt32(json.count).bigEndian) { data.append(contentsOf: $0) }
        data.append(json)
        data.append(contentsOf: response.body.readableBytesView)
        return data
    }

    static func decode(_ data: Data) -> StoredResponse? {
        guard let (header, bodyStart) = parseHeader(data) else { return nil }
        var fields = HTTPFields()
        for field in header.headers {
            guard let name = HTTPField.Name(field.name) else { return nil }
            fields.append(HTTPField(name: name, value: field.value))
        }
        return StoredResponse(
            status: HTTPResponse.Status(code: header.status, reasonPhrase: header.reason),
            headers: fields,
            body: ByteBuffer(bytes: data[bodyStart...]),
            requestTime: header.requestTime,
            responseTime: header.responseTime,
            selectingHeaders: header.selectingHeaders.map { .init(name: $0.name, value: $0.value) },
            tags: header.tags
        )
    }

    private static func parseHeader(_ data: Data) -> (Header, Data.Index)? {
        let start = data.startIndex
        guard data.count >= magic.count + 4, Array(data[start..<start + magic.count]) == magic else { return nil }
        let lengthStart = start + magic.count
        let length = data[lengthStart..<lengthStart + 4].reduce(0) { $0 << 8 | Int($1) }
        let jsonStart = lengthStart + 4
        guard data.count >= magic.count + 4 + length,
            let header = try? JSONDecoder().decode(Header.self, from: data[jsonStart..<jsonStart + length])
        else { return nil }
        return (header, jsonStart + length)
    }

    /// The header of the file at `url`, reading no more of it than the header takes.
    private static func readHeader(_ url: URL) throws -> Header? {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        guard let prefix = try handle.read(upToCount: magic.count + 4), prefix.count == magic.count + 4 else {
            return nil
        }
        let length = prefix.suffix(4).reduce(0) { $0 << 8 | Int($1) }
        guard Array(prefix.prefix(magic.count)) == magic, let json = try handle.read(upToCount: length) else {
            return nil
        }
        return parseHeader(prefix + json)?.0
    }

    // MARK: The index

    struct Entry {
        var target: String
        var selectingHeaders: [StoredResponse.SelectingHeader]
        var tags: [String]
        var bytes: Int
        var lastUse: UInt64 = 0
    }

    struct State {
        var entries: [String: Entry] = [:]
        var byTarget: [String: Set<String>] = [:]
        var byTag: [String: Set<String>] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        /// Raised by every purge, so a write that started before one is not indexed after it.
        var epoch: UInt64 = 0

        mutating func insert(_ key: String, _ entry: Entry) {
            clock += 1
            var entry = entry
            entry.lastUse = clock
            entries[key] = entry
            byTarget[entry.target, default: []].insert(key)
            for tag in entry.tags { byTag[tag, default: []].insert(key) }
            bytes += entry.bytes
        }

        mutating func remove(_ key: String) {
            guard let entry = entries.removeValue(forKey: key) else { return }
            bytes -= entry.bytes
            byTarget[entry.target]?.remove(key)
            if byTarget[entry.target]?.isEmpty == true { byTarget[entry.target] = nil }
            for tag in entry.tags {
                byTag[tag]?.remove(key)
                if byTag[tag]?.isEmpty == true { byTag[tag] = nil }
            }
        }

        mutating func touch(_ key: String) {
            clock += 1
            entries[key]?.lastUse = clock
        }

        /// The least recently used entry: a scan, paid only when the tier is over its bound,
        /// where the file deletion that follows costs more.
        func oldest() -> String? {
            entries.min { $0.value.lastUse < $1.value.lastUse }?.key
        }
    }
}
