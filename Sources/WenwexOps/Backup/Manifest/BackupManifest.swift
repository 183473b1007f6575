public import Foundation
public import WenwexConfig

/// Everything known about one backup, stored beside its payload as `manifest.json`.
///
/// The manifest is written only after the payload is stored in full, so a backup killed
/// half-way leaves at most a payload with no manifest, which no command counts as a backup.
/// Verification rewrites it with its result.
public struct BackupManifest: Sendable, Codable, Hashable {
    /// The format of the payload.
    public enum Format: String, Sendable, Codable, Hashable {
        /// `pg_dump --format=custom`.
        case postgresCustom = "pg_dump-custom"
        /// A SQLite database file made by `VACUUM INTO`.
        case sqliteFile = "sqlite-file"
    }

    /// How the payload is encrypted, when it is.
    public struct Encryption: Sendable, Codable, Hashable {
        public var algorithm: String
        public var keyID: String
        public var chunkSize: Int
    }

    /// One table's contents at the moment of the backup.
    public struct TableSummary: Sendable, Codable, Hashable {
        /// `schema.table` on PostgreSQL, `table` on SQLite.
        public var name: String
        public var rows: Int
        /// An order-independent checksum of the rows (a sum of per-row hashes), comparable only
        /// with one computed the same way on the same database engine.
        public var checksum: String
    }

    /// The outcome of the latest verification.
    public struct Verification: Sendable, Codable, Hashable {
        public var at: Date
        public var passed: Bool
        /// What was compared, or what differed.
        public var details: [String]
        public var seconds: Double
    }

    public var id: String
    public var format: Format
    public var project: String
    public var environment: String
    public var tier: Tier
    /// The source database's identity stamp instance id (`nil` for an unstamped database).
    public var instanceID: String?
    /// The source, masked (never its password).
    public var source: String
    /// The newest applied migration at the time of the backup.
    public var migrationHead: String?
    public var startedAt: Date
    public var finishedAt: Date
    /// Bytes stored (after encryption, when encrypted).
    public var payloadSize: Int
    /// The SHA-256 of the stored bytes, hex.
    public var payloadSHA256: String
    /// Bytes of the dump before encryption.
    public var dumpSize: Int
    public var encryption: Encryption?
    public var tables: [TableSummary]
    /// Tool versions (`pg_dump`, the server, SQLite, Wenwex).
    public var tools: [String: String]
    /// Why it was taken: `scheduled`, `manual`, `pre-restore`.
    public var reason: String
    public var verification: Verification?

    /// The newest verification passed.
    public var isVerified: Bool { verification?.passed == true }

    public var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }

    /// Tables proper, without the sequences listed beside them.
    public var tableCount: Int { tables.filter { !$0.name.hasPrefix("sequence ") }.count }
}

/// Backup ids sort by time: `20261202T071947Z-3f9a`.
public enum BackupID {
    /// A new id for a backup starting at `date`.
    public static func make(at date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let stamp = String(
            format: "%04d%02d%02dT%02d%02d%02dZ",
            parts.year!,
            parts.month!,
            parts.day!,
            parts.hour!,
            parts.minute!,
            parts.second!
        )
        return stamp + "-" + String(format: "%04x", UInt16.random(in: 0...UInt16.max))
    }

    /// Whether `text` has the form of an id (it is used in object keys).
    public static func isWellFormed(_ text: String) -> Bool {
        text.count == 21 && text.allSatisfy { $0.isNumber || $0.isLetter || $0 == "-" }
    }
}

extension BackupManifest {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    func encoded() throws -> Data { try Self.encoder.encode(self) }

    static func decode(_ data: Data) throws -> BackupManifest { try decoder.decode(BackupManifest.self, from: data) }
}
