/// When the next scrub pass is due, from the schedule's last point (the end of the last complete pass, or the node's
/// first start), kept in the data path (`ScrubStamp`) so that a node restarted more often than its interval still
/// scrubs. Pure: times in unix milliseconds.
public struct ScrubSchedule: Sendable, Equatable {
    public var interval: Duration

    public init(interval: Duration) {
        self.interval = interval
    }

    /// The wait before the next pass: what is left of the interval since `last`; a whole interval without a point, or
    /// when the clock stands before it (it was set back).
    public func delay(last: UInt64?, now: UInt64) -> Duration {
        guard let last, last <= now else { return interval }
        let passed = Duration.milliseconds(Int64(min(now - last, UInt64(Int64.max))))
        return passed >= interval ? .zero : interval - passed
    }
}
