public import Foundation

/// One migration: a folder `<YYYYMMDDHHMMSS>_<name>` holding `migration.sql`.
public struct MigrationFile: Sendable, Hashable {
    /// The folder's name, which is the migration's name in the history table.
    public var name: String
    public var url: URL
    public var sql: String
    /// `MigrationChecksum` of the file's bytes, compared with the history table's.
    public var checksum: String

    public init(name: String, url: URL, sql: String, checksum: String) {
        self.name = name
        self.url = url
        self.sql = sql
        self.checksum = checksum
    }
}
