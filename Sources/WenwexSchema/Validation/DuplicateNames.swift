/// Finds names that repeat an earlier one, for blocks of a few dozen names.
///
/// Every model's field names are checked on every validation; a hashed set per model (a fresh
/// table, a full string hash per name) was a visible share of validating a large schema. Here
/// each name gets a cheap fingerprint of its bytes, fingerprints are compared pairwise, and
/// only equal fingerprints are confirmed by comparing the names. Names that are not ASCII (where
/// `String` equality is not byte equality) and long lists use a set, as before.
enum DuplicateNames {
    /// The indices (ascending) of the names equal to a name before them.
    static func repeated(_ count: Int, name: (Int) -> String) -> [Int] {
        guard count > 1 else { return [] }
        guard count <= 64 else { return repeatedBySet(count, name: name) }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: count) { fingerprints in
            var result: [Int] = []
            for index in 0..<count {
                guard let fingerprint = fingerprint(name(index)) else { return repeatedBySet(count, name: name) }
                fingerprints[index] = fingerprint
                for earlier in 0..<index where fingerprints[earlier] == fingerprint {
                    if name(earlier) == name(index) {
                        result.append(index)
                        break
                    }
                }
            }
            return result
        }
    }

    private static func repeatedBySet(_ count: Int, name: (Int) -> String) -> [Int] {
        var seen = Set<String>(minimumCapacity: count)
        return (0..<count).filter { !seen.insert(name($0)).inserted }
    }

    /// FNV-1a of the UTF-8 bytes, or `nil` when a byte is not ASCII.
    private static func fingerprint(_ name: String) -> UInt64? {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var combined: UInt8 = 0
        for byte in name.utf8 {
            combined |= byte
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return combined < 0x80 ? hash : nil
    }
}
