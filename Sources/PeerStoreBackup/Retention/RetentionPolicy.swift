import Foundation

/// Which snapshots `forget` keeps, with restic's semantics: keep the `last` n snapshots, and the newest snapshot of
/// each of the newest n hours, days, weeks (ISO weeks, Monday to Sunday), months and years that have snapshots, in
/// local calendar time. A snapshot kept by any rule is kept; a rule with counts left when the snapshots run out also
/// keeps the oldest snapshot ("oldest daily snapshot"); `unlimited` (-1) keeps every bucket. A policy whose counts
/// are all 0 is refused, so at least the newest snapshot always stays. Remembered in the client config.
public struct RetentionPolicy: Codable, Equatable, Sendable {
    public static let unlimited = -1

    public var last = 0
    public var hourly = 0
    public var daily = 0
    public var weekly = 0
    public var monthly = 0
    public var yearly = 0

    public init(last: Int = 0, hourly: Int = 0, daily: Int = 0, weekly: Int = 0, monthly: Int = 0, yearly: Int = 0) {
        (self.last, self.hourly, self.daily, self.weekly, self.monthly, self.yearly) = (last, hourly, daily, weekly, monthly, yearly)
    }

    /// The rules in restic's order: name (as the flag says it) and count.
    public var rules: [(name: String, count: Int)] {
        [("last", last), ("hourly", hourly), ("daily", daily), ("weekly", weekly), ("monthly", monthly), ("yearly", yearly)]
    }

    /// True when no rule keeps anything.
    public var isEmpty: Bool { rules.allSatisfy { $0.count == 0 } }

    /// Throws a one-line usage error for an empty policy or a count below -1.
    public func check() throws {
        if let bad = rules.first(where: { $0.count < Self.unlimited }) {
            throw BackupError(.usage, "-keep-\(bad.name) \(bad.count) is not a count: give 0 or more, or unlimited")
        }
        guard !isEmpty else {
            throw BackupError(.usage, "no snapshots would be kept: forget needs a policy with at least one count above 0 (for example -keep-daily 7 -keep-weekly 4); it never removes every snapshot")
        }
    }

    /// "keep 2 last, 7 daily, all weekly snapshots", as restic says it.
    public var description: String {
        let parts = rules.compactMap { r -> String? in
            r.count == 0 ? nil : r.count == Self.unlimited ? "all \(r.name)" : "\(r.count) \(r.name)"
        }
        return "keep " + parts.joined(separator: ", ") + " snapshots"
    }

    /// One snapshot's fate: the rules that keep it (empty: it goes).
    public struct Decision: Equatable, Sendable {
        public var entry: SnapshotIndex.Entry
        public var reasons: [String]
        public var kept: Bool { !reasons.isEmpty }
    }

    /// Applies the policy (checked) to `snapshots`; the decisions come newest first. Calendar buckets are taken in
    /// `timeZone` (the local one by default).
    public func apply(to snapshots: [SnapshotIndex.Entry], timeZone: TimeZone = .current) throws -> [Decision] {
        try check()
        let list = snapshots.sorted(by: SnapshotIndex.newerFirst)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4
        var counts = rules.map(\.count)
        var lastBucket = [Int?](repeating: nil, count: counts.count)
        return list.enumerated().map { nr, entry in
            let date = Date(timeIntervalSince1970: Double(entry.time) / 1e9)
            let c = calendar.dateComponents([.year, .month, .day, .hour, .weekOfYear, .yearForWeekOfYear], from: date)
            let (y, m, d, h) = (c.year!, c.month!, c.day!, c.hour!)
            let buckets = [nr, ((y * 100 + m) * 100 + d) * 100 + h, (y * 100 + m) * 100 + d,
                           c.yearForWeekOfYear! * 100 + c.weekOfYear!, y * 100 + m, y]
            var reasons: [String] = []
            for (i, rule) in rules.enumerated() where counts[i] != 0 {
                let newBucket = buckets[i] != lastBucket[i]
                guard newBucket || nr == list.count - 1 else { continue }
                lastBucket[i] = buckets[i]
                if counts[i] > 0 { counts[i] -= 1 }
                reasons.append((newBucket ? "" : "oldest ") + "\(rule.name) snapshot")
            }
            return Decision(entry: entry, reasons: reasons)
        }
    }
}
