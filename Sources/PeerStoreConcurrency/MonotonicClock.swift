/// Where code that keeps deadlines or pauses reads time: the system's monotonic clock in production, a clock moved by
/// hand in tests (`ManualClock` in PeerStoreTestKit), so that waits of seconds take none.
public protocol MonotonicClock: Sendable {
    /// The time since an arbitrary origin fixed for this clock; never goes back.
    func now() -> Duration
    /// Returns once `duration` has passed on this clock; throws `CancellationError` if the task is cancelled first.
    func sleep(for duration: Duration) async throws
}

/// `MonotonicClock` on the system's `ContinuousClock` (time keeps running while the machine sleeps).
public struct SystemClock: MonotonicClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() -> Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}
