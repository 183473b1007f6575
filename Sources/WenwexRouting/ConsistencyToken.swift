/// A position in the primary's history that a later read must see: read-your-writes by
/// position, not by timer.
///
/// After a write commits, the router hands out the primary's WAL position (PostgreSQL's LSN,
/// written `16/B374D848`). A read that carries the token is served only by a node that has
/// replayed at least that far. Tokens are small strings, so servers pass them to clients in a
/// cookie or header and get them back on the next request.
public struct ConsistencyToken: Sendable, Hashable, Comparable, Codable, LosslessStringConvertible {
    /// The WAL byte position (for SQLite, a commit counter: every reader sees every commit).
    public var position: UInt64

    /// Creates a token for a raw position: a WAL byte offset, or a SQLite commit count.
    public init(position: UInt64) {
        self.position = position
    }

    /// Parses PostgreSQL's `XXXXXXXX/XXXXXXXX` LSN text.
    public init?(_ description: String) {
        let parts = description.split(separator: "/")
        guard parts.count == 2, let high = UInt64(parts[0], radix: 16), let low = UInt64(parts[1], radix: 16),
            high <= UInt32.max, low <= UInt32.max
        else { return nil }
        self.position = high << 32 | low
    }

    /// The LSN text, `16/B374D848` (upper-case hex): what servers hand to clients and ``init(_:)`` reads.
    public var description: String {
        String(position >> 32, radix: 16, uppercase: true) + "/"
            + String(position & 0xFFFF_FFFF, radix: 16, uppercase: true)
    }

    /// Orders tokens by position: a node that has replayed past the greater one has the lesser one's
    /// writes too.
    public static func < (lhs: ConsistencyToken, rhs: ConsistencyToken) -> Bool {
        lhs.position < rhs.position
    }

    /// Decodes the LSN text that ``encode(to:)`` writes; throws `DecodingError.dataCorrupted` for
    /// anything else.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let token = ConsistencyToken(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an LSN: \(text)")
            )
        }
        self = token
    }

    /// Encodes the token as its LSN text (``description``), so JSON carries the same string as a cookie.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The position a replica's replay must reach to include everything before `insertPosition`.
    ///
    /// `pg_current_wal_insert_lsn()` points past the page header when the last record ended
    /// exactly at a page boundary, a position replay never reports until the next write; step
    /// back over the header (24 bytes, or 40 at the start of a segment).
    static func afterInsert(at insertPosition: UInt64, pageSize: UInt64, segmentSize: UInt64) -> ConsistencyToken {
        if segmentSize > 0, insertPosition % segmentSize == 40 {
            return ConsistencyToken(position: insertPosition - 40)
        }
        if pageSize > 0, insertPosition % pageSize == 24 {
            return ConsistencyToken(position: insertPosition - 24)
        }
        return ConsistencyToken(position: insertPosition)
    }
}

/// A write's result together with the token that makes it visible to later reads.
public struct Written<Value: Sendable>: Sendable {
    /// What the write's `body` returned.
    public var value: Value
    /// Pass it to a later ``DatabaseRouter/read(after:_:)`` (through the client, if need be) so that
    /// read sees this write.
    public var token: ConsistencyToken

    /// Pairs a write's result with its token.
    public init(value: Value, token: ConsistencyToken) {
        self.value = value
        self.token = token
    }
}
