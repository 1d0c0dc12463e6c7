/// Which sealed segment to rewrite next (docs/retention.md part 4): a pure value over each segment's live and total
/// bytes. A segment qualifies when its live fraction is below `threshold`; the least live goes first, the oldest among
/// equals, one at a time. The current segment (the one being appended to) is never chosen.
public struct CompactionPlan: Sendable, Equatable {
    /// One segment's bytes: `total` counts every entry (headers included), `live` those compaction must keep.
    public struct Segment: Sendable, Equatable {
        public var number: Int
        public var live: Int
        public var total: Int

        public init(number: Int, live: Int, total: Int) {
            self.number = number
            self.live = live
            self.total = total
        }

        /// Live bytes over total bytes (1 for an empty segment: nothing to gain).
        public var liveFraction: Double { total > 0 ? Double(live) / Double(total) : 1 }
    }

    /// Compact segments whose live fraction is below this (0 turns compaction off).
    public var threshold: Double

    public init(threshold: Double = 0.5) {
        self.threshold = threshold
    }

    /// The segments that qualify, in the order they should be compacted.
    public func candidates(_ segments: [Segment], current: Int) -> [Segment] {
        guard threshold > 0 else { return [] }
        return segments
            .filter { $0.number != current && $0.total > 0 && $0.liveFraction < threshold }
            .sorted { ($0.liveFraction, $0.number) < ($1.liveFraction, $1.number) }
    }

    /// The one segment to compact now, if any.
    public func next(_ segments: [Segment], current: Int) -> Segment? {
        candidates(segments, current: current).first
    }
}
