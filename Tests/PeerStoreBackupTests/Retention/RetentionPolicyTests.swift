import ChordRing
import Foundation
import PeerStoreBackup
import PeerStoreModel
import Testing

/// `RetentionPolicy` against restic's documented examples and the edges of its calendar buckets.
@Suite struct RetentionPolicyTests {
    static let utc = TimeZone(identifier: "UTC")!

    /// A snapshot at `date` ("yyyy-MM-dd HH:mm" in UTC) with an id made from it.
    static func at(_ date: String) -> SnapshotIndex.Entry {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = utc
        f.dateFormat = "yyyy-MM-dd HH:mm"
        let d = f.date(from: date)!
        return .init(id: BlockID.of(Array(date.utf8)), time: Int64(d.timeIntervalSince1970) * 1_000_000_000)
    }

    static func kept(_ decisions: [RetentionPolicy.Decision]) -> [SnapshotIndex.Entry] { decisions.filter(\.kept).map(\.entry) }

    /// restic's docs: a backup every Sunday for 12 weeks; `--keep-daily 4` keeps the last four Sundays.
    @Test func resticsTwelveSundaysWithKeepDaily4() throws {
        let sundays = ["2019-09-01", "2019-09-08", "2019-09-15", "2019-09-22", "2019-09-29", "2019-10-06", "2019-10-13",
                       "2019-10-20", "2019-10-27", "2019-11-03", "2019-11-10", "2019-11-17"].map { Self.at($0 + " 11:00") }
        let decisions = try RetentionPolicy(daily: 4).apply(to: sundays.shuffled(), timeZone: Self.utc)
        #expect(decisions.map(\.entry) == sundays.reversed(), "newest first")
        #expect(Self.kept(decisions) == Array(sundays.suffix(4).reversed()))
        #expect(decisions.filter(\.kept).allSatisfy { $0.reasons == ["daily snapshot"] })
        #expect(decisions.filter { !$0.kept }.count == 8)
        // With counts left when the snapshots run out, the oldest stays too (restic's "oldest" rule).
        let weekly = try RetentionPolicy(weekly: 20).apply(to: sundays, timeZone: Self.utc)
        #expect(weekly.filter { !$0.kept }.isEmpty)
        let few = try RetentionPolicy(last: 1, daily: 13).apply(to: Array(sundays.prefix(2)), timeZone: Self.utc)
        #expect(few.map(\.reasons) == [["last snapshot", "daily snapshot"], ["daily snapshot"]])
    }

    /// restic's docs: a backup every day for 100 years; `--keep-daily 7 --keep-weekly 5 --keep-monthly 12
    /// --keep-yearly 75` keeps 7 dailies, 4 more weeklies (the dailies hold one), 12 or 11 more monthlies and 75 or
    /// 74 more yearlies. Here the newest is Sunday 2025-01-05, so the dailies are one whole week and hold two
    /// monthlies (January, and December 31) and two yearlies.
    @Test func resticsHundredYearsOfDailies() throws {
        let day: Int64 = 86_400 * 1_000_000_000
        let start = Self.at("1925-01-06 05:00").time
        let days = (0..<36_525).map { n in SnapshotIndex.Entry(id: BlockID.of(withUnsafeBytes(of: n) { Array($0) }), time: start + Int64(n) * day) }
        let decisions = try RetentionPolicy(daily: 7, weekly: 5, monthly: 12, yearly: 75).apply(to: days, timeZone: Self.utc)
        let kept = decisions.filter(\.kept)
        func count(_ reason: String) -> Int { kept.filter { $0.reasons.contains(reason) }.count }
        #expect(count("daily snapshot") == 7 && count("weekly snapshot") == 5 && count("monthly snapshot") == 12 && count("yearly snapshot") == 75)
        #expect(kept.prefix(7).allSatisfy { $0.reasons.contains("daily snapshot") })
        let onlyWeekly = kept.filter { $0.reasons == ["weekly snapshot"] }.count
        #expect(onlyWeekly == 4)
        #expect(kept.count == 7 + 4 + 10 + 73, "\(kept.count)")
        #expect(decisions.first?.entry == days.last)
        // Every monthly one (but the newest month's) is the last day of its month.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.utc
        for d in kept.filter({ $0.reasons.contains("monthly snapshot") }).dropFirst() {
            let date = Date(timeIntervalSince1970: Double(d.entry.time) / 1e9)
            #expect(calendar.component(.month, from: date) != calendar.component(.month, from: date.addingTimeInterval(86_400)))
        }
    }

    @Test func keepLastKeepsTheNewest() throws {
        let five = (1...5).map { Self.at("2024-03-0\($0) 10:00") }
        let decisions = try RetentionPolicy(last: 2).apply(to: five, timeZone: Self.utc)
        #expect(Self.kept(decisions) == [five[4], five[3]])
        #expect(decisions.filter(\.kept).allSatisfy { $0.reasons == ["last snapshot"] })
        #expect(try RetentionPolicy(last: 9).apply(to: [], timeZone: Self.utc).isEmpty)
    }

    /// Days are local days: two snapshots an hour apart around midnight UTC are one day two hours east of it.
    @Test func bucketsAreInTheGivenTimeZone() throws {
        let late = Self.at("2024-06-01 23:30"), early = Self.at("2024-06-02 00:30")
        let utc = try RetentionPolicy(daily: 1).apply(to: [late, early], timeZone: Self.utc)
        #expect(Self.kept(utc) == [early])
        let east = TimeZone(secondsFromGMT: 2 * 3600)!
        #expect(Self.kept(try RetentionPolicy(daily: 1).apply(to: [late, early], timeZone: east)) == [early])
        // Two days in UTC; one day to the east, where the older is kept only as the oldest.
        #expect(try RetentionPolicy(daily: 2).apply(to: [late, early], timeZone: Self.utc).map(\.reasons) == [["daily snapshot"], ["daily snapshot"]])
        #expect(try RetentionPolicy(daily: 2).apply(to: [late, early], timeZone: east).map(\.reasons)
            == [["daily snapshot"], ["oldest daily snapshot"]])
        // Hours: 10:05 and 10:55 are one hour, 11:00 another.
        let hours = ["2024-06-01 10:05", "2024-06-01 10:55", "2024-06-01 11:00", "2024-06-01 09:00"].map(Self.at)
        #expect(Self.kept(try RetentionPolicy(hourly: 2).apply(to: hours, timeZone: Self.utc)) == [hours[2], hours[1]])
    }

    /// Weeks run Monday to Sunday (ISO), across a year's end too; months and years by the calendar.
    @Test func weeksMonthsAndYears() throws {
        let sunday = Self.at("2019-09-08 20:00"), monday = Self.at("2019-09-09 08:00"), nextSunday = Self.at("2019-09-15 08:00")
        #expect(Self.kept(try RetentionPolicy(weekly: 2).apply(to: [sunday, monday, nextSunday], timeZone: Self.utc)) == [nextSunday, sunday])
        // 2020-12-31 (Thursday) and 2021-01-03 (Sunday) are ISO week 53 of 2020.
        let a = Self.at("2020-12-31 12:00"), b = Self.at("2021-01-03 12:00"), c = Self.at("2021-01-04 12:00")
        #expect(Self.kept(try RetentionPolicy(weekly: 2).apply(to: [a, b, c], timeZone: Self.utc)) == [c, b])
        #expect(Self.kept(try RetentionPolicy(yearly: 2).apply(to: [a, b, c], timeZone: Self.utc)) == [c, a])
        #expect(Self.kept(try RetentionPolicy(monthly: 1).apply(to: [a, b, c], timeZone: Self.utc)) == [c])
    }

    @Test func unlimitedKeepsEveryBucket() throws {
        let list = ["2024-01-01 10:00", "2024-01-01 12:00", "2024-01-02 10:00", "2024-01-03 09:00", "2024-01-03 10:00"].map(Self.at)
        let kept = Self.kept(try RetentionPolicy(daily: RetentionPolicy.unlimited).apply(to: list, timeZone: Self.utc))
        #expect(kept == [list[4], list[2], list[1], list[0]], "the newest of each day, and the oldest")
        #expect(RetentionPolicy(last: 2, daily: RetentionPolicy.unlimited).description == "keep 2 last, all daily snapshots")
    }

    /// Like restic, a policy that keeps nothing is refused, with what to do.
    @Test func anEmptyPolicyIsRefused() throws {
        for policy in [RetentionPolicy(), RetentionPolicy(last: 0, daily: 0)] {
            #expect(policy.isEmpty)
            let error = try #require(throws: BackupError.self) { try policy.apply(to: [Self.at("2024-01-01 10:00")]) }
            #expect(error.code == .usage && error.message.contains("-keep-daily 7"), "\(error)")
        }
        let negative = try #require(throws: BackupError.self) { try RetentionPolicy(weekly: -2).check() }
        #expect(negative.message.contains("-keep-weekly -2"))
        // Remembered in the config as JSON; an old config without it still reads.
        let policy = RetentionPolicy(last: 3, monthly: RetentionPolicy.unlimited)
        var config = ClientConfig(device: "d")
        config.retention = policy
        let data = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(ClientConfig.self, from: data).retention == policy)
        #expect(try JSONDecoder().decode(ClientConfig.self, from: Data(#"{"device":"d"}"#.utf8)).retention == nil)
    }
}
