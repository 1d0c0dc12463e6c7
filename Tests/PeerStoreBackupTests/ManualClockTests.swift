import PeerStoreTestKit
import Testing

/// Records which sleepers woke, in order.
private actor Wakes {
    private(set) var order: [String] = []
    func add(_ name: String) { order.append(name) }
}

@Suite(.timeLimit(.minutes(1)))
struct ManualClockTests {
    @Test func timeMovesOnlyWhenAdvanced() async throws {
        let clock = ManualClock(now: .seconds(5))
        #expect(clock.now() == .seconds(5))
        try await Task.sleep(for: .milliseconds(5))
        #expect(clock.now() == .seconds(5))
        clock.advance(by: .milliseconds(1500))
        #expect(clock.now() == .milliseconds(6500))
    }

    @Test func aSleeperWakesOnlyOnceItsDeadlineHasPassed() async throws {
        let clock = ManualClock()
        let wakes = Wakes()
        let sleeper = Task {
            try await clock.sleep(for: .seconds(10))
            await wakes.add("ten")
        }
        try await clock.waitForSleepers(1)
        #expect(clock.deadlines == [.seconds(10)])
        clock.advance(by: .seconds(9))
        try await Task.sleep(for: .milliseconds(20))
        #expect(await wakes.order.isEmpty)
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        try await sleeper.value
        #expect(await wakes.order == ["ten"])
        #expect(clock.sleeperCount == 0)
    }

    @Test func oneAdvanceWakesEveryDueSleeperAndLeavesTheRest() async throws {
        let clock = ManualClock()
        let wakes = Wakes()
        var tasks: [Task<Void, Error>] = []
        for (name, seconds) in [("three", 3), ("one", 1), ("two", 2), ("nine", 9)] {
            tasks.append(Task {
                try await clock.sleep(for: .seconds(seconds))
                await wakes.add(name)
            })
        }
        try await clock.waitForSleepers(4)
        clock.advance(by: .seconds(3))
        for task in tasks.prefix(3) { try await task.value }
        #expect(Set(await wakes.order) == ["one", "two", "three"])
        #expect(clock.deadlines == [.seconds(9)])
        clock.advance(by: .seconds(6))
        try await tasks[3].value
        #expect(await wakes.order.last == "nine")
    }

    @Test func aZeroSleepReturnsAtOnce() async throws {
        let clock = ManualClock()
        try await clock.sleep(for: .zero)
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancellingASleeperWakesItWithCancellationError() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(60)) }
        try await clock.waitForSleepers(1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
        // Nothing left to wake: advancing is harmless.
        clock.advance(by: .seconds(120))
    }

    @Test func aTaskCancelledBeforeItSleepsDoesNotSleep() async throws {
        let clock = ManualClock()
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .seconds(60))
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func waitingForSleepersThatNeverComeGivesUp() async throws {
        let clock = ManualClock()
        let started = ContinuousClock.now
        await #expect(throws: TestKitError.self) { try await clock.waitForSleepers(1, timeout: .milliseconds(50)) }
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
