/// A token bucket: `rate` tokens a second, at most `burst` saved up. Pure: the caller tells the time (seconds on a
/// monotonic clock).
struct TokenBucket: Sendable, Equatable {
    let rate: Double
    let burst: Double
    private(set) var tokens: Double
    private var at: Double

    init(rate: Double, burst: Double, now: Double) {
        precondition(rate > 0 && burst >= 1)
        self.rate = rate
        self.burst = burst
        tokens = burst
        at = now
    }

    /// Takes a token if there is one at `now`.
    mutating func take(at now: Double) -> Bool {
        if now > at {
            tokens = min(burst, tokens + (now - at) * rate)
            at = now
        }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Whether the bucket is full at `now` (it may then be forgotten: a new one starts full).
    func isFull(at now: Double) -> Bool { tokens + max(0, now - at) * rate >= burst }
}
