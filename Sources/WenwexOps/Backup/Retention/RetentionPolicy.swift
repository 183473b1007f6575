public import Foundation

/// A grandfather-father-son retention policy: `"24 hourly, 7 daily, 4 weekly, 12 monthly"`.
///
/// Each tier keeps the newest backup of each of its N most recent periods (UTC hours, days,
/// ISO weeks, months, years) that have a backup at all, the way restic's `--keep-hourly` and
/// pgBackRest's full/diff retention count: a period with no backup does not use up a slot. A
/// backup kept by any tier is kept. The newest verified backup is always kept, whatever the
/// policy says, so pruning can never leave an environment with nothing proven restorable.
public struct RetentionPolicy: Sendable, Hashable, CustomStringConvertible {
    /// The calendar periods a tier counts, in UTC; `weekly` counts ISO weeks.
    public enum Period: String, Sendable, Hashable, CaseIterable {
        /// Hours, days, ISO weeks, months and years, also as written in a policy text.
        case hourly, daily, weekly, monthly, yearly
    }

    /// How many periods each tier keeps; a missing or zero count keeps nothing by that tier.
    public var counts: [Period: Int]

    /// A policy in code; unlike ``init(parsing:)`` it accepts an empty one.
    public init(_ counts: [Period: Int]) {
        self.counts = counts
    }

    /// The policy a `--keep` text describes. Throws ``BackupError/refused(_:fix:)`` for a part that is
    /// not `<count> <period>`, a period named twice, or an empty text.
    public init(parsing text: String) throws(BackupError) {
        var counts: [Period: Int] = [:]
        for part in text.split(separator: ",") {
            let words = part.split(separator: " ")
            guard words.count == 2, let count = Int(words[0]), count >= 1,
                let period = Period(rawValue: words[1].lowercased())
            else {
                throw BackupError.refused(
                    "'\(part.trimmingCharacters(in: .whitespaces))' in the retention policy is not '<count> <period>'",
                    fix: "write it like \"24 hourly, 7 daily, 4 weekly, 12 monthly\" (periods: hourly, daily, weekly, monthly, yearly)"
                )
            }
            guard counts[period] == nil else {
                throw BackupError.refused(
                    "the retention policy names '\(period.rawValue)' twice",
                    fix: "give each period once"
                )
            }
            counts[period] = count
        }
        guard !counts.isEmpty else {
            throw BackupError.refused("the retention policy is empty", fix: "write e.g. \"24 hourly, 7 daily\"")
        }
        self.counts = counts
    }

    /// The policy in `--keep` syntax, shortest period first (`24 hourly, 7 daily`).
    public var description: String {
        Period.allCases.compactMap { period in counts[period].map { "\($0) \(period.rawValue)" } }
            .joined(separator: ", ")
    }
}

/// Which backups a policy keeps.
public enum RetentionPlanner {
    /// A backup as retention sees it.
    public struct Candidate: Sendable, Hashable {
        /// The backup id; the key of ``RetentionPlanner/keep(_:policy:)``'s answer.
        public var id: String
        /// When the backup was taken (its manifest's `startedAt`): it decides the periods it falls in.
        public var takenAt: Date
        /// Whether its latest verification passed.
        public var verified: Bool

        /// A candidate from a manifest's id, start time and verification.
        public init(id: String, takenAt: Date, verified: Bool) {
            self.id = id
            self.takenAt = takenAt
            self.verified = verified
        }
    }

    /// The ids to keep, and for each the reasons (`"hourly"`, `"newest verified"`).
    public static func keep(_ candidates: [Candidate], policy: RetentionPolicy) -> [String: [String]] {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let newestFirst = candidates.sorted { ($0.takenAt, $0.id) > ($1.takenAt, $1.id) }
        var reasons: [String: [String]] = [:]
        for period in RetentionPolicy.Period.allCases {
            guard let count = policy.counts[period], count > 0 else { continue }
            var seen: Set<String> = []
            for candidate in newestFirst {
                let bucket = bucketName(candidate.takenAt, period, calendar)
                guard !seen.contains(bucket) else { continue }
                seen.insert(bucket)
                reasons[candidate.id, default: []].append(period.rawValue)
                if seen.count == count { break }
            }
        }
        // The newest backup too: before its first verification it is the best there is.
        if let newest = newestFirst.first, reasons[newest.id] == nil {
            reasons[newest.id, default: []].append("newest")
        }
        if let newestVerified = newestFirst.first(where: \.verified) {
            reasons[newestVerified.id, default: []].append("newest verified")
        }
        return reasons
    }

    private static func bucketName(_ date: Date, _ period: RetentionPolicy.Period, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .weekOfYear, .yearForWeekOfYear],
            from: date
        )
        switch period {
        case .hourly: return "\(parts.year!)-\(parts.month!)-\(parts.day!)T\(parts.hour!)"
        case .daily: return "\(parts.year!)-\(parts.month!)-\(parts.day!)"
        case .weekly: return "\(parts.yearForWeekOfYear!)-W\(parts.weekOfYear!)"
        case .monthly: return "\(parts.year!)-\(parts.month!)"
        case .yearly: return "\(parts.year!)"
        }
    }
}
