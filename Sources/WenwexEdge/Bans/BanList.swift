/// Banned users and client addresses, looked up in constant time.
///
/// Users are their ids as text; addresses are single IPv4 / IPv6 addresses or CIDR ranges.
/// Each range length keeps its own hash set of masked prefixes, so a lookup costs one hash
/// probe per distinct prefix length in use (at most 33 for IPv4, 129 for IPv6), whatever the
/// number of entries. A million entries take about 40 MiB.
public struct BanList: Sendable, Equatable {
    private(set) var users: Set<String> = []
    private var version4: [Int: Set<UInt32>] = [:]
    private var version6: [Int: Set<IPv6Bits>] = [:]
    /// Prefix lengths in use, longest first.
    private var lengths4: [Int] = []
    private var lengths6: [Int] = []

    public init() {}

    /// Entries of every kind.
    public var count: Int {
        users.count + version4.values.reduce(0) { $0 + $1.count } + version6.values.reduce(0) { $0 + $1.count }
    }

    public func isBanned(user: String) -> Bool { users.contains(user) }

    /// Whether `address` (as a client connects from it, `203.0.113.7` or `2001:db8::1`) is
    /// banned, alone or inside a banned range.
    public func isBanned(address: String) -> Bool {
        if let bits = IPAddressBits.parse4(address) {
            for length in lengths4 where version4[length]!.contains(IPAddressBits.mask4(bits, length)) { return true }
            return false
        }
        if let bits = IPAddressBits.parse6(address) {
            for length in lengths6 where version6[length]!.contains(bits.masked(length)) { return true }
        }
        return false
    }

    public mutating func ban(user: String) { users.insert(user) }
    public mutating func unban(user: String) { users.remove(user) }

    /// Adds an address or CIDR range; `false` when `entry` is neither.
    @discardableResult
    public mutating func ban(address entry: String) -> Bool {
        guard let parsed = IPAddressBits.parseEntry(entry) else { return false }
        switch parsed {
        case .version4(let bits, let length):
            if version4[length, default: []].insert(bits).inserted, !lengths4.contains(length) {
                lengths4 = (lengths4 + [length]).sorted(by: >)
            }
        case .version6(let bits, let length):
            if version6[length, default: []].insert(bits).inserted, !lengths6.contains(length) {
                lengths6 = (lengths6 + [length]).sorted(by: >)
            }
        }
        return true
    }

    /// Removes an address or range added with the same spelling (any equivalent form).
    public mutating func unban(address entry: String) {
        guard let parsed = IPAddressBits.parseEntry(entry) else { return }
        switch parsed {
        case .version4(let bits, let length):
            version4[length]?.remove(bits)
            if version4[length]?.isEmpty == true {
                version4[length] = nil
                lengths4.removeAll { $0 == length }
            }
        case .version6(let bits, let length):
            version6[length]?.remove(bits)
            if version6[length]?.isEmpty == true {
                version6[length] = nil
                lengths6.removeAll { $0 == length }
            }
        }
    }
}

/// 128 bits of an IPv6 address.
struct IPv6Bits: Hashable, Sendable {
    var high: UInt64
    var low: UInt64

    func masked(_ length: Int) -> IPv6Bits {
        if length >= 128 { return self }
        if length <= 0 { return IPv6Bits(high: 0, low: 0) }
        if length <= 64 {
            return IPv6Bits(high: length == 64 ? high : high & ~(UInt64.max >> UInt64(length)), low: 0)
        }
        return IPv6Bits(high: high, low: low & ~(UInt64.max >> UInt64(length - 64)))
    }
}

/// Parsing of addresses and CIDR ranges, without Foundation or `inet_pton` allocations.
enum IPAddressBits {
    enum Entry {
        case version4(UInt32, Int)
        case version6(IPv6Bits, Int)
    }

    static func parseEntry(_ entry: String) -> Entry? {
        let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let address = String(parts[0]).trimmingSpaces
        var length: Int?
        if parts.count == 2 {
            guard let value = Int(parts[1]), value >= 0 else { return nil }
            length = value
        }
        if let bits = parse4(address) {
            let prefix = length ?? 32
            guard prefix <= 32 else { return nil }
            return .version4(mask4(bits, prefix), prefix)
        }
        if let bits = parse6(address) {
            let prefix = length ?? 128
            guard prefix <= 128 else { return nil }
            return .version6(bits.masked(prefix), prefix)
        }
        return nil
    }

    static func mask4(_ bits: UInt32, _ length: Int) -> UInt32 {
        length <= 0 ? 0 : length >= 32 ? bits : bits & ~(UInt32.max >> UInt32(length))
    }

    static func parse4(_ text: String) -> UInt32? {
        var result: UInt32 = 0
        var octets = 0
        var current: UInt32 = 0
        var digits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, octets < 3 else { return nil }
                result = result << 8 | current
                octets += 1
                current = 0
                digits = 0
            } else if byte >= 48 && byte <= 57 {
                current = current * 10 + UInt32(byte - 48)
                digits += 1
                guard digits <= 3, current <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard octets == 3, digits > 0 else { return nil }
        return result << 8 | current
    }

    static func parse6(_ text: String) -> IPv6Bits? {
        var text = Substring(text)
        if text.hasPrefix("[") && text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let zone = text.firstIndex(of: "%") { text = text[..<zone] }
        guard text.contains(":") else { return nil }
        var halves = [String(text)]
        if let gap = text.firstRange(of: "::") {
            halves = [String(text[..<gap.lowerBound]), String(text[gap.upperBound...])]
            guard !halves[1].contains("::") else { return nil }
        }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = parse4(String(piece)) {
                    result.append(UInt16(v4 >> 16))
                    result.append(UInt16(v4 & 0xFFFF))
                } else {
                    guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        let high = all[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = all[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        return IPv6Bits(high: high, low: low)
    }
}
