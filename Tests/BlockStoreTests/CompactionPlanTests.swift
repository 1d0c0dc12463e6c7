import BlockStore
import Testing

/// The pure choice of the next segment to compact.
@Suite struct CompactionPlanTests {
    typealias Segment = CompactionPlan.Segment

    @Test func picksTheLeastLiveBelowTheThresholdAndNeverTheCurrent() {
        let segments = [
            Segment(number: 1, live: 60, total: 100),  // above 0.5
            Segment(number: 2, live: 40, total: 100),
            Segment(number: 3, live: 10, total: 100),
            Segment(number: 4, live: 0, total: 100),  // the current one: never
        ]
        let plan = CompactionPlan()
        #expect(plan.next(segments, current: 4)?.number == 3)
        #expect(plan.candidates(segments, current: 4).map(\.number) == [3, 2])
        #expect(plan.candidates(segments, current: 3).map(\.number) == [4, 2])
    }

    @Test func theOldestGoesFirstAmongEquals() {
        let segments = [Segment(number: 7, live: 20, total: 100), Segment(number: 5, live: 10, total: 50),
                        Segment(number: 6, live: 20, total: 100)]
        #expect(CompactionPlan().candidates(segments, current: 9).map(\.number) == [5, 6, 7])
    }

    @Test func theThresholdIsStrictAndZeroTurnsCompactionOff() {
        let half = [Segment(number: 1, live: 50, total: 100)]
        #expect(CompactionPlan(threshold: 0.5).next(half, current: 2) == nil)
        #expect(CompactionPlan(threshold: 0.51).next(half, current: 2)?.number == 1)
        let dead = [Segment(number: 1, live: 0, total: 100)]
        #expect(CompactionPlan(threshold: 0).next(dead, current: 2) == nil)
    }

    @Test func emptySegmentsAreLeftAlone() {
        #expect(CompactionPlan().next([Segment(number: 1, live: 0, total: 0)], current: 2) == nil)
        #expect(Segment(number: 1, live: 0, total: 0).liveFraction == 1)
    }
}
