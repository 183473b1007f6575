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
        /// `AES-256-GCM-STREAM`: AES-256-GCM in authenticated chunks.
        public var algorithm: String
        /// The ``BackupKeyRing/Key/id`` of the key that sealed the payload; the key itself is never stored.
        public var keyID: String
        /// Plaintext bytes per sealed chunk (1 MiB).
        public var chunkSize: Int
    }

    /// One table's contents at the moment of the backup.
    public struct TableSummary: Sendable, Codable, Hashable {
        /// `schema.table` on PostgreSQL, `table` on SQLite.
        public var name: String
        /// The row count; `0` for a `sequence …` entry, whose position is its ``checksum``.
        public var rows: Int
        /// An order-independent checksum of the rows (a sum of per-row hashes), comparable only
        /// with one computed the same way on the same database engine.
        public var checksum: String
    }

    /// The outcome of the latest verification.
    public struct Verification: Sendable, Codable, Hashable {
        /// When the verification finished.
        public var at: Date
        /// Every check passed; ``details`` then says what was compared, otherwise what differed.
        public var passed: Bool
        /// What was compared, or what differed.
        public var details: [String]
        /// How long restoring and comparing took.
        public var seconds: Double
    }

    /// The ``BackupID``: sorts by time, and names the backup's folder in the repository.
    public var id: String
    /// How the payload loads: with `pg_restore`, or as a SQLite file.
    public var format: Format
    /// The project the source belongs to; a restore refuses a backup of another project.
    public var project: String
    /// The environment the backup was taken in; it is restored only there.
    public var environment: String
    /// The environment's tier when the backup was taken.
    public var tier: Tier
    /// The source database's identity stamp instance id (`nil` for an unstamped database).
    public var instanceID: String?
    /// The source, masked (never its password).
    public var source: String
    /// The newest applied migration at the time of the backup.
    public var migrationHead: String?
    /// When the backup began: it orders backups and places them in retention periods.
    public var startedAt: Date
    /// When the payload was stored, just before this manifest was written.
    public var finishedAt: Date
    /// Bytes stored (after encryption, when encrypted).
    public var payloadSize: Int
    /// The SHA-256 of the stored bytes, hex.
    public var payloadSHA256: String
    /// Bytes of the dump before encryption.
    public var dumpSize: Int
    /// How the payload is sealed; `nil` when it is stored in clear.
    public var encryption: Encryption?
    /// Rows and checksums per table, read in the backup's own snapshot, then `sequence …` entries.
    public var tables: [TableSummary]
    /// Tool versions (`pg_dump`, the server, SQLite, Wenwex).
    public var tools: [String: String]
    /// Why it was taken: `scheduled`, `manual`, `pre-restore`.
    public var reason: String
    /// The latest verification's outcome; `nil` until one ran.
    public var verification: Verification?

    /// The newest verification passed.
    public var isVerified: Bool { verification?.passed == true }

    /// Rows across every table (sequence entries add nothing).
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
