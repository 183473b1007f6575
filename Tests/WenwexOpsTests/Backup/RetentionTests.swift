import Foundation
import Testing

@testable import WenwexOps

@Suite("Backup retention") struct RetentionTests {
    /// 2026-06-30 23:00 UTC: the end of a synthetic year of hourly backups.
    let end = Date(timeIntervalSince1970: 1_782_860_400)

    func hourly(hours: Int, verifiedEvery: Int = 0) -> [RetentionPlanner.Candidate] {
        (0..<hours).map { hour in
            let taken = end.addingTimeInterval(-Double(hour) * 3600)
            return .init(
                id: String(format: "b%05d", hour),
                takenAt: taken,
                verified: verifiedEvery > 0 && hour % verifiedEvery == 0
            )
        }
    }

    func utc(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test func keepsExactlyTheGrandfatherFatherSonSet() throws {
        let policy = try RetentionPolicy(parsing: "24 hourly, 7 daily, 4 weekly, 12 monthly")
        let candidates = hourly(hours: 24 * 400)
        let kept = RetentionPlanner.keep(candidates, policy: policy)
        let byID = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, $0.takenAt) })
        let keptTimes = Set(kept.keys.map { byID[$0]! })

        // The 24 newest hours, each hour's only backup.
        let hours = (0..<24).map { end.addingTimeInterval(-Double($0) * 3600) }
        // The newest of each of the last 7 days: 23:00 on each day.
        let days = (0..<7).map { end.addingTimeInterval(-Double($0) * 86400) }
        // The newest of each of the last 4 ISO weeks: Sunday 23:00 (2026-06-30 is a Tuesday).
        let weeks = [end, utc("2026-06-28T23:00:00Z"), utc("2026-06-21T23:00:00Z"), utc("2026-06-14T23:00:00Z")]
        // The newest of each of the last 12 months: the last day's 23:00.
        let months = [
            "2026-06-30", "2026-05-31", "2026-04-30", "2026-03-31", "2026-02-28", "2026-01-31", "2025-12-31",
            "2025-11-30", "2025-10-31", "2025-09-30", "2025-08-31", "2025-07-31",
        ].map { utc($0 + "T23:00:00Z") }
        let expected = Set(hours + days + weeks + months)
        #expect(keptTimes == expected)
        #expect(kept.count == 24 + 6 + 2 + 11, "overlaps counted once: \(kept.count)")
        #expect(kept[candidates[0].id]?.contains("hourly") == true)
        #expect(kept[candidates[0].id]?.contains("monthly") == true)
    }

    @Test func periodsWithoutABackupDoNotUseUpSlots() throws {
        // One backup a day at noon for ten days, then a gap of five days, then two more.
        var candidates: [RetentionPlanner.Candidate] = []
        for day in [0, 1, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] {
            candidates.append(
                .init(id: "d\(day)", takenAt: utc("2026-03-01T12:00:00Z").addingTimeInterval(-Double(day) * 86400), verified: false)
            )
        }
        let kept = RetentionPlanner.keep(candidates, policy: try RetentionPolicy(parsing: "4 daily"))
        #expect(Set(kept.keys) == ["d0", "d1", "d7", "d8"])
    }

    @Test func theNewestVerifiedBackupIsAlwaysKept() throws {
        // Verified only every 100 hours: the newest verified one is 0, so make 0..49 unverified.
        var candidates = hourly(hours: 200, verifiedEvery: 0)
        candidates[150].verified = true
        let kept = RetentionPlanner.keep(candidates, policy: try RetentionPolicy(parsing: "2 hourly"))
        #expect(Set(kept.keys) == [candidates[0].id, candidates[1].id, candidates[150].id])
        #expect(kept[candidates[150].id] == ["newest verified"])
    }

    @Test func policyTextIsParsedStrictly() throws {
        let policy = try RetentionPolicy(parsing: "24 hourly, 7 daily, 4 weekly, 12 monthly, 2 yearly")
        #expect(policy.counts == [.hourly: 24, .daily: 7, .weekly: 4, .monthly: 12, .yearly: 2])
        #expect(policy.description == "24 hourly, 7 daily, 4 weekly, 12 monthly, 2 yearly")
        for bad in ["", "24", "hourly 24", "24 hourlies", "-1 daily", "0 daily", "1 daily, 2 daily"] {
            #expect(throws: BackupError.self, "'\(bad)'") { try RetentionPolicy(parsing: bad) }
        }
    }
}
