import Testing

@testable import PeerStoreConcurrency

struct SystemClockTests {
    @Test func timeRunsAndSleepWaitsAtLeastItsDuration() async throws {
        let clock = SystemClock()
        let before = clock.now()
        try await clock.sleep(for: .milliseconds(20))
        let slept = clock.now() - before
        #expect(slept >= .milliseconds(20) && slept < .seconds(10), "\(slept)")
    }

    @Test func aCancelledSleepThrows() async throws {
        let sleeper = Task { try await SystemClock().sleep(for: .seconds(60)) }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
    }
}
