public import HTTPTypes
import Hummingbird
import Synchronization

/// The edge's memory tier: responses by request target, each target holding its `Vary`
/// variants, bounded in bytes and evicting the least recently used entry first, with an
/// optional ``DiskCache`` behind it.
///
/// Every operation is a few dictionary steps under one lock, so a hit never suspends. Tags and
/// targets are indexed for purging by tag, by URL and by prefix.
public final class MemoryCache: Sendable {
    /// The most bytes the entries may cost together.
    public let capacity: Int
    /// Larger responses are passed through, never stored: one object may not push out the rest.
    public let maximumObjectSize: Int
    /// The disk tier behind this one, when the node has one: every stored response is written
    /// there too (in the background), and every purge reaches it.
    public let lowerTier: DiskCache?
    private let state: Mutex<State>

    public init(capacity: Int, maximumObjectSize: Int? = nil, lowerTier: DiskCache? = nil) {
        self.capacity = capacity
        self.maximumObjectSize = maximumObjectSize ?? max(capacity / 8, 1)
        self.lowerTier = lowerTier
        state = Mutex(State())
    }

    /// Entries and the bytes they cost.
    public var usage: (entries: Int, bytes: Int) {
        state.withLock { ($0.slots.count, $0.bytes) }
    }

    /// The variant of `target` that `requestHeaders` select, made most recently used.
    public func lookup(_ target: String, requestHeaders: HTTPFields) -> StoredResponse? {
        state.withLock { state in
            guard let ids = state.byTarget[target] else { return nil }
            for id in ids {
                guard let slot = state.slots[id], slot.response.matches(requestHeaders) else { continue }
                state.touch(id)
                return slot.response
            }
            return nil
        }
    }

    /// Stores `response` for `target`, replacing the variant with the same selecting headers;
    /// `false` when it is too large to keep. `writingBelow`: whether the disk tier gets a copy
    /// (not when the response was just read from there).
    @discardableResult
    public func store(_ response: StoredResponse, for target: String, writingBelow: Bool = true) -> Bool {
        let cost = response.cost
        guard cost <= maximumObjectSize, cost <= capacity else { return false }
        if writingBelow, let lowerTier { Task { await lowerTier.store(response, for: target) } }
        return state.withLock { state in
            if let ids = state.byTarget[target] {
                for id in ids where state.slots[id]?.response.selectingHeaders == response.selectingHeaders {
                    state.remove(id)
                }
            }
            state.insert(Slot(target: target, response: response, cost: cost))
            while state.bytes > capacity, let oldest = state.tail { state.remove(oldest) }
            return true
        }
    }

    /// Forgets every variant of `target`, in both tiers; returns how many went (from the tier
    /// that held more: the disk tier holds a copy of what memory holds).
    @discardableResult
    public func remove(target: String) -> Int {
        let removed = state.withLock { state in
            let ids = state.byTarget[target] ?? []
            ids.forEach { state.remove($0) }
            return ids.count
        }
        return max(removed, lowerTier?.remove(target: target) ?? 0)
    }

    /// Forgets every entry whose target's path starts with `prefix`, in both tiers.
    @discardableResult
    public func remove(prefix: String) -> Int {
        let removed = state.withLock { state in
            let ids = state.slots.filter { $0.value.target.hasPrefix(prefix) }.map(\.key)
            ids.forEach { state.remove($0) }
            return ids.count
        }
        return max(removed, lowerTier?.remove(prefix: prefix) ?? 0)
    }

    /// Forgets every entry tagged `tag`, in both tiers.
    @discardableResult
    public func remove(tag: String) -> Int {
        let removed = state.withLock { state in
            let ids = state.byTag[tag] ?? []
            ids.forEach { state.remove($0) }
            return ids.count
        }
        return max(removed, lowerTier?.remove(tag: tag) ?? 0)
    }

    /// Forgets everything, in both tiers.
    public func removeAll() {
        state.withLock { $0 = State() }
        lowerTier?.removeAll()
    }

    /// The variant of `target` that `requestHeaders` select, from memory or else from the
    /// disk tier, which puts it back in memory.
    public func lookupThroughTiers(_ target: String, requestHeaders: HTTPFields) async -> StoredResponse? {
        if let stored = lookup(target, requestHeaders: requestHeaders) { return stored }
        guard let lowerTier, let stored = await lowerTier.lookup(target, requestHeaders: requestHeaders) else {
            return nil
        }
        store(stored, for: target, writingBelow: false)
        return stored
    }

    struct Slot {
        var target: String
        var response: StoredResponse
        var cost: Int
        var newer: Int?
        var older: Int?
    }

    /// A doubly linked recency list threaded through `slots` by id.
    struct State {
        var slots: [Int: Slot] = [:]
        var byTarget: [String: [Int]] = [:]
        var byTag: [String: Set<Int>] = [:]
        var head: Int?
        var tail: Int?
        var bytes = 0
        var nextID = 0

        mutating func insert(_ slot: Slot) {
            nextID += 1
            let id = nextID
            var slot = slot
            slot.older = head
            slot.newer = nil
            if let head { slots[head]?.newer = id }
            head = id
            if tail == nil { tail = id }
            slots[id] = slot
            byTarget[slot.target, default: []].append(id)
            for tag in slot.response.tags { byTag[tag, default: []].insert(id) }
            bytes += slot.cost
        }

        mutating func remove(_ id: Int) {
            guard let slot = slots.removeValue(forKey: id) else { return }
            unlink(slot, id)
            bytes -= slot.cost
            byTarget[slot.target]?.removeAll { $0 == id }
            if byTarget[slot.target]?.isEmpty == true { byTarget[slot.target] = nil }
            for tag in slot.response.tags {
                byTag[tag]?.remove(id)
                if byTag[tag]?.isEmpty == true { byTag[tag] = nil }
            }
        }

        mutating func touch(_ id: Int) {
            guard head != id, var slot = slots[id] else { return }
            unlink(slot, id)
            slot.older = head
            slot.newer = nil
            if let head { slots[head]?.newer = id }
            head = id
            if tail == nil { tail = id }
            slots[id] = slot
        }

        private mutating func unlink(_ slot: Slot, _ id: Int) {
            if let newer = slot.newer { slots[newer]?.older = slot.older } else if head == id { head = slot.older }
            if let older = slot.older { slots[older]?.newer = slot.newer } else if tail == id { tail = slot.newer }
        }
    }
}
