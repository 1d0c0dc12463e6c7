/// Events counted over a sliding window of whole seconds (60 by default), in one bucket per second: adding and
/// reading cost the same whatever the rate. Pure: the caller tells the time (seconds on a monotonic clock).
public struct RecentCounts: Sendable, Equatable {
    /// The window's length in seconds.
    public let window: Int
    private var counts: [UInt32]
    /// The second each bucket counts (a bucket of an older second is stale and reads as zero).
    private var seconds: [Int64]

    public init(window: Int = 60) {
        precondition(window > 0, "a window of at least one second")
        self.window = window
        counts = Array(repeating: 0, count: window)
        seconds = Array(repeating: Int64.min, count: window)
    }

    /// Counts `n` events at `second`. Events of a second older than the window are not counted.
    public mutating func add(_ n: UInt32 = 1, at second: Int64) {
        let i = Self.slot(second, window)
        if seconds[i] != second {
            guard seconds[i] < second else { return }
            seconds[i] = second
            counts[i] = 0
        }
        counts[i] = counts[i].addingReportingOverflow(n).overflow ? .max : counts[i] + n
    }

    /// Events in the window ending at `now`: the seconds `now - window + 1 ... now`.
    public func total(at now: Int64) -> UInt32 {
        var sum: UInt64 = 0
        for i in 0..<window where seconds[i] <= now && seconds[i] > now - Int64(window) {
            sum += UInt64(counts[i])
        }
        return UInt32(clamping: sum)
    }

    private static func slot(_ second: Int64, _ window: Int) -> Int {
        Int(((second % Int64(window)) + Int64(window)) % Int64(window))
    }
}
