public import Crypto
import Foundation

/// The keys backups are encrypted with: one current key that new backups use, and retired
/// keys that old backups can still be opened with during a rotation.
///
/// A key is 32 random bytes, written as base64 (`openssl rand -base64 32`). Its id is derived
/// from it (`k-` and the first 16 hex digits of its SHA-256), so the manifest can name the key
/// a backup needs without the id being configured, and without revealing the key.
public struct BackupKeyRing: Sendable {
    /// One key; only its derived id is visible, never its bytes.
    public struct Key: Sendable {
        /// `k-` and 16 hex digits of the key's SHA-256, recorded in the manifest and the sealed header.
        public let id: String
        let key: SymmetricKey
    }

    /// The key new backups are sealed with.
    public let current: Key
    /// Every key a backup may be opened with, the current one first.
    public let all: [Key]

    /// A key that is not 32 bytes of base64.
    public struct InvalidKey: Error, Sendable, CustomStringConvertible {
        /// The variable that held the bad key.
        public var variable: String
        /// Names the variable and how to make a key; never the value.
        public var description: String {
            "\(variable) is not a backup key: it must be 32 random bytes written as base64 (generate one with `openssl rand -base64 32`)"
        }
    }

    /// `current` and `retired` as base64 text; `variable` names where they came from in errors.
    public init(current: String, retired: [String] = [], variable: String = "BACKUP_ENCRYPTION_KEY") throws(InvalidKey) {
        func parse(_ text: String, _ name: String) throws(InvalidKey) -> Key {
            guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespaces)), data.count == 32 else {
                throw InvalidKey(variable: name)
            }
            return Key(id: Self.keyID(of: data), key: SymmetricKey(data: data))
        }
        self.current = try parse(current, variable)
        var keys = [self.current]
        for text in retired where !text.isEmpty {
            keys.append(try parse(text, "BACKUP_RETIRED_ENCRYPTION_KEY"))
        }
        self.all = keys
    }

    /// The key with `id`, if the ring holds it.
    public func key(id: String) -> Key? {
        all.first { $0.id == id }
    }

    static func keyID(of key: Data) -> String {
        "k-" + SHA256.hash(data: key).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
