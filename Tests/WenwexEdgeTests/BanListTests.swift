import Testing

@testable import WenwexEdge

@Suite("Ban list and ban feed")
struct BanListTests {
    @Test func addressesAndRangesOfBothFamiliesMatch() {
        var list = BanList()
        let accepted = [
            "203.0.113.7", "198.51.100.0/24", "2001:db8::/32", "::1", "300.1.1.1", "10.0.0.0/33", "not an address",
        ]
        .map { list.ban(address: $0) }
        #expect(accepted == [true, true, true, true, false, false, false])
        #expect(list.isBanned(address: "203.0.113.7"))
        #expect(!list.isBanned(address: "203.0.113.8"))
        #expect(list.isBanned(address: "198.51.100.255"))
        #expect(!list.isBanned(address: "198.51.101.0"))
        #expect(list.isBanned(address: "2001:db8:ffff::1"))
        #expect(!list.isBanned(address: "2001:db9::1"))
        #expect(list.isBanned(address: "0:0:0:0:0:0:0:1"))
        list.unban(address: "198.51.100.0/24")
        #expect(!list.isBanned(address: "198.51.100.1"))
        list.ban(user: "42")
        #expect(list.isBanned(user: "42") && !list.isBanned(user: "4"))
        #expect(list.count == 4)
    }

    @Test func deltasCarryTheNetEffectAndAStrangerGetsASnapshot() async {
        let feed = BanFeed(users: ["1"], retained: 3)
        let start = await feed.update(epoch: nil, since: nil, wait: .zero)
        #expect(start.snapshot && start.users == ["1"])
        feed.ban(user: "2")
        feed.unban(user: "2")
        feed.ban(user: "2")
        feed.unban(user: "1")
        // Four changes, three kept: a node at the start version is too far behind.
        let behind = await feed.update(epoch: start.epoch, since: start.version, wait: .zero)
        #expect(behind.snapshot && behind.users == ["2"])
        feed.ban(address: "10.0.0.0/8")
        let delta = await feed.update(epoch: behind.epoch, since: behind.version, wait: .zero)
        #expect(!delta.snapshot && delta.addresses == ["10.0.0.0/8"] && delta.users.isEmpty)
        let otherEpoch = await feed.update(epoch: "another-origin", since: delta.version, wait: .zero)
        #expect(otherEpoch.snapshot)
        var list = BanList()
        behind.apply(to: &list)
        delta.apply(to: &list)
        #expect(list.isBanned(user: "2") && !list.isBanned(user: "1") && list.isBanned(address: "10.1.2.3"))
    }

    @Test func aWaitingPollWakesOnTheNextChange() async {
        let feed = BanFeed()
        let start = await feed.update(epoch: nil, since: nil, wait: .zero)
        async let woken = feed.update(epoch: start.epoch, since: start.version, wait: .seconds(20))
        try? await Task.sleep(for: .milliseconds(100))
        let clock = ContinuousClock()
        let banned = clock.now
        feed.ban(user: "9")
        let update = await woken
        #expect(update.users == ["9"])
        #expect(banned.duration(to: clock.now) < .seconds(10), "woken by the change, long before the 20 s wait ends")
    }
}
