import Foundation
import PeerStoreTestKit
import PeerStoreWire
import Testing

@testable import PeerStoreNode

/// The status page's ring walks, with a walk and a clock of the test's: one walk serves every request of `maxAge`,
/// requests during a walk wait for it instead of starting their own, a failure is told and tried again later.
@Suite(.timeLimit(.minutes(1)))
struct RingViewSourceTests {
    final class Walks: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var fail = false
        var made: Int { lock.withLock { count } }
        func walk() throws -> (statuses: [NodeStatus], complete: Bool) {
            let n = lock.withLock { count += 1; return count }
            if lock.withLock({ fail }) { throw NodeError(.io, "walk \(n) failed") }
            return (StatusPageTests.ring(n), true)
        }
    }

    @Test func oneWalkServesTheRequestsOfTwoSeconds() async throws {
        let clock = ManualClock()
        let walks = Walks()
        let source = RingViewSource(maxAge: .seconds(2), clock: clock, wallClock: { 5 }) { try walks.walk() }
        #expect(try await source.view().get().nodes.count == 1)
        clock.advance(by: .seconds(1))
        #expect(try await source.view().get().nodes.count == 1, "the same walk")
        #expect(walks.made == 1)
        clock.advance(by: .seconds(1))
        let fresh = try await source.view().get()
        #expect(fresh.nodes.count == 2 && fresh.takenAt == 5)
        #expect(walks.made == 2)
    }

    @Test func requestsDuringAWalkShareIt() async throws {
        let gate = AsyncStream<Void>.makeStream()
        let started = AsyncStream<Void>.makeStream()
        let counter = Walks()
        let source = RingViewSource(clock: ManualClock()) {
            started.continuation.yield()
            for await _ in gate.stream { break }
            return try counter.walk()
        }
        async let first = source.view()
        var starts = started.stream.makeAsyncIterator()
        _ = await starts.next()
        async let second = source.view()
        try await Task.sleep(for: .milliseconds(50))  // let the second reach the actor and wait on the walk
        gate.continuation.yield()
        let (a, b) = await (first, second)
        #expect(try a.get() == b.get())
        #expect(counter.made == 1, "one walk for both")
    }

    @Test func aFailedWalkIsToldAndTriedAgainLater() async throws {
        let clock = ManualClock()
        let walks = Walks()
        walks.fail = true
        let source = RingViewSource(maxAge: .seconds(2), clock: clock) { try walks.walk() }
        let failed = await source.view()
        #expect(throws: NodeError.self) { try failed.get() }
        walks.fail = false
        clock.advance(by: .seconds(3))
        #expect(try await source.view().get().nodes.count == 2, "the second walk")
    }
}
