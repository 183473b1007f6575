import Crypto
import Foundation

/// Compares a presented secret with the expected one in time that does not depend on where they
/// differ: both are hashed first, so even their lengths leak nothing.
enum SecretComparison {
    static func equal(_ presented: String, _ expected: String) -> Bool {
        let left = SHA256.hash(data: Data(presented.utf8))
        let right = SHA256.hash(data: Data(expected.utf8))
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
