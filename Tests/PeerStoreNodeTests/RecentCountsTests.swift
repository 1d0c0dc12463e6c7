import Testing

@testable import PeerStoreNode

/// Counting over a sliding window of seconds, with the time given: events age out after the window, a bucket reused
/// for a later second starts again at zero, events older than the window are dropped, totals saturate.
@Suite struct RecentCountsTests {
    @Test func eventsCountForTheWindowThenAgeOut() {
        var counts = RecentCounts(window: 60)
        counts.add(at: 100)
        counts.add(2, at: 130)
        counts.add(at: 159)
        #expect(counts.total(at: 159) == 4)
        #expect(counts.total(at: 160) == 3, "the event of second 100 is 60 s old at 160")
        #expect(counts.total(at: 189) == 3)
        #expect(counts.total(at: 190) == 1, "and those of second 130 at 190")
        #expect(counts.total(at: 219) == 0)
        #expect(counts.total(at: 99) == 0, "nothing counted yet at an earlier second")
    }

    @Test func aBucketReusedForALaterSecondStartsAtZero() {
        var counts = RecentCounts(window: 10)
        counts.add(5, at: 3)
        counts.add(at: 13)  // the same bucket, ten seconds on
        #expect(counts.total(at: 13) == 1)
        counts.add(7, at: 2)  // older than what the bucket holds now: dropped, not mixed in
        #expect(counts.total(at: 13) == 1)
    }

    @Test func negativeSecondsAndSaturation() {
        var counts = RecentCounts(window: 3)
        counts.add(at: -1)
        #expect(counts.total(at: 0) == 1)
        counts.add(.max, at: 1)
        counts.add(.max, at: 1)
        #expect(counts.total(at: 1) == .max)
    }
}
