import Foundation
import WenwexEdge

/// `WenwexBench edge-bans [--entries N]`: ban-list lookups at N entries (1,000,000) against the
/// same lookups in an empty list (the call's own cost), and the memory the entries take.
enum EdgeBanBenchmark {
    static func residentBytes() -> Int {
        let text = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? "0 0"
        return (Int(text.split(separator: " ")[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func run(entries: Int) {
        let before = residentBytes()
        var list = BanList()
        let users = entries / 2
        for id in 0..<users { list.ban(user: String(id * 7 + 1)) }
        for index in 0..<(entries - users) {
            let address = "10.\((index >> 16) & 255).\((index >> 8) & 255).\(index & 255)"
            if index % 10 == 0 {
                list.ban(address: "172.\((index >> 8) & 255).\(index & 255).0/24")
            } else {
                list.ban(address: address)
            }
        }
        let after = residentBytes()
        let empty = BanList()
        let probes = 2_000_000
        let addresses = (0..<1024).map { "10.\($0 & 7).\(($0 >> 3) & 255).\($0 & 255)" }
        let userIDs = (0..<1024).map { String($0 * 13) }
        func measure(_ list: BanList) -> (address: Double, user: Double, hits: Int) {
            var hits = 0
            let clock = ContinuousClock()
            let addressTime = clock.measure {
                for index in 0..<probes where list.isBanned(address: addresses[index & 1023]) { hits += 1 }
            }
            let userTime = clock.measure {
                for index in 0..<probes where list.isBanned(user: userIDs[index & 1023]) { hits += 1 }
            }
            func nanoseconds(_ duration: Duration) -> Double {
                (Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9)
                    / Double(probes)
            }
            return (nanoseconds(addressTime), nanoseconds(userTime), hits)
        }
        let baseline = measure(empty)
        let full = measure(list)
        print("ban list: \(list.count) entries (\(users) users, \(entries - users) addresses and /24 ranges)")
        print(String(format: "memory: %.1f MiB for the entries (target <= 64 MiB)", Double(after - before) / 1_048_576))
        print(
            String(
                format: "address lookup: %.0f ns at %d entries, %.0f ns empty (%.2fx)",
                full.address,
                list.count,
                baseline.address,
                full.address / baseline.address
            )
        )
        print(
            String(
                format: "user lookup:    %.0f ns at %d entries, %.0f ns empty (%.2fx)",
                full.user,
                list.count,
                baseline.user,
                full.user / baseline.user
            )
        )
        print("(hits: \(full.hits))")
    }
}
