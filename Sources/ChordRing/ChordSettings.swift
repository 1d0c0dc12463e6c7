/// Settings of a Chord node. Time is given as durations; the shell decides what a second is.
public struct ChordSettings: Sendable, Equatable {
    /// Successor-list length r. With r = 2 log2 N the ring survives half its nodes failing at once.
    public var successorListLength: Int = 8
    /// How often a node stabilizes (asks its successor for its predecessor and successor list).
    public var stabilizeInterval: Duration = .seconds(1)
    /// How often one finger is fixed.
    public var fixFingerInterval: Duration = .milliseconds(500)
    /// How long a request may go unanswered before it counts as failed.
    public var requestTimeout: Duration = .milliseconds(500)
    /// Consecutive unanswered stabilize requests before the first successor is taken for dead.
    public var successorFailuresBeforeDead: Int = 3
    /// How many nodes a lookup step returns to route through (best first); the rest are fallbacks.
    public var lookupCandidates: Int = 6
    /// Attempts of a whole lookup (each restarted from the origin's own table) before it fails.
    public var lookupAttempts: Int = 3
    /// Pause between lookup attempts and join retries.
    public var retryDelay: Duration = .milliseconds(500)
    /// Confirm a lookup's answer with the owner itself (its predecessor must precede the key) before reporting it.
    /// One more request per lookup; under churn it turns answers from stale successor lists into right ones.
    public var confirmOwner: Bool = true
    /// Virtual nodes per physical node (used by the shell that creates the instances).
    public var virtualNodes: Int = 1
    /// Nodes dropped as failed that a node remembers, to probe them after a partition (oldest dropped first).
    public var lostNodesKept: Int = 32
    /// Probe one remembered lost node every this many stabilize rounds (0: never), to merge rings after a partition.
    public var mergeEveryRounds: Int = 5

    public init() {}

    /// The successor-list length the simulator uses by default: 2 * ceil(log2 N).
    public static func successorListLength(forRingOf n: Int) -> Int {
        var bits = 0
        while (1 << bits) < max(n, 2) { bits += 1 }
        return 2 * bits
    }
}
