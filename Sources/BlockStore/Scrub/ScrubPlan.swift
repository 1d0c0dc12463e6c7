/// The order of one scrub pass: every target in log order (segment, then offset), so that the disk reads run forward
/// through each file, handed out in batches of about `batchBytes` (at least one entry each) between which the pass
/// can pause to keep to its pace.
public struct ScrubPlan: Sendable, Equatable {
    public private(set) var remaining: [ScrubTarget]
    public let batchBytes: Int
    /// Targets handed out so far.
    public private(set) var handedOut = 0

    public init(_ targets: [ScrubTarget], batchBytes: Int = 4 << 20) {
        remaining = targets.sorted { ($0.segment, $0.offset) < ($1.segment, $1.offset) }
        self.batchBytes = max(1, batchBytes)
    }

    public var isDone: Bool { handedOut >= remaining.count }

    /// The next targets to read: at least one, then more while their payloads stay within `batchBytes`; empty once
    /// the pass is done.
    public mutating func next() -> [ScrubTarget] {
        guard !isDone else { return [] }
        var end = handedOut + 1
        var bytes = remaining[handedOut].length
        while end < remaining.count && bytes + remaining[end].length <= batchBytes {
            bytes += remaining[end].length
            end += 1
        }
        defer { handedOut = end }
        return Array(remaining[handedOut..<end])
    }
}
