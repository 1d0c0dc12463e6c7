import BlockStore
import ChordRing
import Testing

/// The scrubber's pure parts: the order and batches of a pass, and its pacing.
@Suite struct ScrubPlanTests {
    func target(_ segment: Int, _ offset: Int, _ length: Int, _ n: UInt8 = 0) -> ScrubTarget {
        ScrubTarget(kind: n % 2 == 0 ? .block : .record, key: Identifier(bytes: [UInt8](repeating: n, count: 32))!,
                    segment: segment, offset: offset, length: length)
    }

    @Test func aPassReadsInLogOrderInBatchesWithinTheBudget() {
        let a = target(2, 100, 400, 1), b = target(1, 500, 300, 2), c = target(1, 68, 300, 3), d = target(3, 68, 200, 4)
        var plan = ScrubPlan([a, b, c, d], batchBytes: 700)
        #expect(plan.remaining == [c, b, a, d])
        #expect(plan.next() == [c, b])  // 600; a would make 1000
        #expect(plan.next() == [a, d])  // 600
        #expect(plan.isDone)
        #expect(plan.next() == [])
        #expect(plan.handedOut == 4)
    }

    @Test func anEntryLargerThanTheBudgetIsABatchOfItsOwn() {
        let big = target(1, 68, 5000, 1), small = target(1, 5200, 10, 2)
        var plan = ScrubPlan([small, big], batchBytes: 1000)
        #expect(plan.next() == [big])
        #expect(plan.next() == [small])
        #expect(plan.isDone)
    }

    @Test func anEmptyStoreIsDoneAtOnce() {
        var plan = ScrubPlan([])
        #expect(plan.isDone)
        #expect(plan.next() == [])
    }

    @Test func thePaceWaitsForTheBytesToFitTheRate() {
        let pace = ScrubPace(bytesPerSecond: 1 << 20)
        // 4 MiB at 1 MiB/s take 4 s: after 1 s, wait 3 s more.
        #expect(pace.delay(afterReading: 4 << 20, in: .seconds(1)) == .seconds(3))
        // Behind the pace already: no wait.
        #expect(pace.delay(afterReading: 1 << 20, in: .seconds(2)) == .zero)
        #expect(pace.delay(afterReading: 0, in: .zero) == .zero)
        // Half a MiB: half a second.
        #expect(pace.delay(afterReading: 512 << 10, in: .zero) == .milliseconds(500))
    }

    @Test func noRateMeansNoWait() {
        #expect(ScrubPace.unlimited.delay(afterReading: 1 << 30, in: .zero) == .zero)
        #expect(ScrubPace(bytesPerSecond: -5) == .unlimited)
    }
}
