/// How a scrub pass keeps to a share of the disk: at most `bytesPerSecond` read on average since the pass began.
/// Pure: it is told what was read and how long that took, and says how long to wait before reading on.
public struct ScrubPace: Sendable, Equatable {
    /// 0: no limit.
    public var bytesPerSecond: Int

    public init(bytesPerSecond: Int) {
        self.bytesPerSecond = max(0, bytesPerSecond)
    }

    /// No limit (an offline pass, by default).
    public static let unlimited = ScrubPace(bytesPerSecond: 0)

    /// The pause due after `bytesRead` bytes in `elapsed` since the pass began: the time those bytes take at the
    /// pace, less the time already spent; zero when behind the pace or without a limit.
    public func delay(afterReading bytesRead: Int, in elapsed: Duration) -> Duration {
        guard bytesPerSecond > 0, bytesRead > 0 else { return .zero }
        let due = Duration.nanoseconds(Int64(Double(bytesRead) / Double(bytesPerSecond) * 1e9))
        return due > elapsed ? due - elapsed : .zero
    }
}
