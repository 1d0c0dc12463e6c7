import Foundation
import PeerStoreConcurrency

/// A `MonotonicClock` that moves only when a test says so: `advance(by:)` moves its time and wakes every sleeper whose
/// deadline has come, in deadline order. A sleeper whose task is cancelled wakes at once with `CancellationError`.
/// `waitForSleepers(_:)` lets a test wait (a bounded real time) until code under test is parked on the clock.
public final class ManualClock: MonotonicClock, @unchecked Sendable {
    private struct Sleeper {
        let deadline: Duration
        let continuation: CheckedContinuation<Void, Error>
    }

    private let lock = NSLock()
    private var current: Duration
    private var sleepers: [UInt64: Sleeper] = [:]
    private var nextID: UInt64 = 0

    public init(now: Duration = .zero) { current = now }

    public func now() -> Duration { lock.withLock { current } }

    /// How many tasks are asleep on this clock.
    public var sleeperCount: Int { lock.withLock { sleepers.count } }

    /// The deadlines of the sleeping tasks, soonest first.
    public var deadlines: [Duration] { lock.withLock { sleepers.values.map(\.deadline).sorted() } }

    public func sleep(for duration: Duration) async throws {
        let id = lock.withLock {
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                // Under the lock: a cancellation either came before (seen here) or finds the sleeper registered.
                let early: Result<Void, Error>? = lock.withLock {
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if duration <= .zero { return .success(()) }
                    sleepers[id] = Sleeper(deadline: current + duration, continuation: continuation)
                    return nil
                }
                if let early { continuation.resume(with: early) }
            }
        } onCancel: {
            lock.withLock { sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time on by `duration` (not backwards) and wakes the sleepers whose deadline is now or earlier.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "a monotonic clock does not go back")
        let due: [Sleeper] = lock.withLock {
            current += duration
            let ids = sleepers.filter { $0.value.deadline <= current }.sorted { $0.value.deadline < $1.value.deadline }.map(\.key)
            return ids.compactMap { sleepers.removeValue(forKey: $0) }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits until at least `count` tasks are asleep on this clock, polling real time for at most `timeout`; throws
    /// `TestKitError` if they are not by then.
    public func waitForSleepers(_ count: Int, timeout: Duration = .seconds(10)) async throws {
        let start = ContinuousClock.now
        while sleeperCount < count {
            guard ContinuousClock.now - start < timeout else {
                throw TestKitError("\(sleeperCount) of \(count) sleepers on the manual clock after \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}
