import Synchronization

/// A dictionary by string shared by every event loop, spread over stripes with a lock each,
/// whose keys are hashed before any lock is taken: what a guard looks up on every request
/// (token buckets, verified tokens) then costs one probe under a lock the other event loops
/// rarely want at the same moment.
final class StripedDictionary<Value: Sendable>: Sendable {
    /// A key with its hash computed once, outside the lock: of the whole text, or of its last
    /// `suffix` bytes. Equality always compares the whole text.
    struct Key: Hashable, Sendable {
        let text: String
        let hash: Int

        init(_ text: String, hashingSuffix suffix: Int? = nil) {
            self.text = text
            if let suffix {
                var hasher = Hasher()
                var text = text
                text.withUTF8 { bytes in
                    hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.suffix(suffix))))
                }
                hash = hasher.finalize()
            } else {
                hash = text.hashValue
            }
        }

        static func == (lhs: Key, rhs: Key) -> Bool { lhs.hash == rhs.hash && lhs.text == rhs.text }
        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    /// One lock and its part of the dictionary, padded so two stripes' locks do not share a
    /// cache line.
    private final class Stripe: Sendable {
        let entries = Mutex<[Key: Value]>([:])
        private let padding: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)
    }

    private let stripes: [Stripe]
    private let hashedSuffix: Int?

    /// `hashedSuffix`: hash only the keys' last bytes, for long keys whose end is already
    /// random (a token's signature): hashing a 200-byte key twice per request showed up in
    /// profiles. Keys still compare whole, so a shared suffix only costs a longer probe.
    init(stripes: Int = 16, hashedSuffix: Int? = nil) {
        self.stripes = (0..<max(1, stripes)).map { _ in Stripe() }
        self.hashedSuffix = hashedSuffix
    }

    var stripeCount: Int { stripes.count }

    /// Runs `body` on the stripe that holds `key`, under its lock.
    func withStripe<Result>(
        holding key: String,
        _ body: (_ stripe: inout [Key: Value], _ key: Key) -> Result
    ) -> Result {
        let key = Key(key, hashingSuffix: hashedSuffix)
        return stripes[Int(UInt(bitPattern: key.hash) % UInt(stripes.count))].entries.withLock { body(&$0, key) }
    }

    subscript(key: String) -> Value? {
        get { withStripe(holding: key) { stripe, key in stripe[key] } }
        set { withStripe(holding: key) { stripe, key in stripe[key] = newValue } }
    }

    func removeAll() {
        for stripe in stripes { stripe.entries.withLock { $0.removeAll() } }
    }
}
