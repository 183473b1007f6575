import Crypto
public import Foundation

/// The checksum Prisma Migrate stores for a migration file: the SHA-256 of its bytes, in
/// lower-case hex.
///
/// Using Prisma's exact definition is what lets Wenwex adopt a database that Prisma already
/// manages: the checksums in its `_prisma_migrations` table match ours for unedited files, and
/// an edited file is caught by the same comparison.
public enum MigrationChecksum {
    public static func of(_ data: Data) -> String {
        SHA256.hash(data: data).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    public static func of(_ text: String) -> String {
        of(Data(text.utf8))
    }
}
