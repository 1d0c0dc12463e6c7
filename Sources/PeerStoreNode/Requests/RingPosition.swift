import ChordRing

/// Where a node stands on its ring, as a status reply tells it.
public struct RingPosition: Sendable, Equatable {
    public var predecessor: NodeIdentity?
    public var successors: [NodeIdentity]
    /// k: copies kept of every block and record.
    public var replicas: Int

    public init(predecessor: NodeIdentity?, successors: [NodeIdentity], replicas: Int) {
        self.predecessor = predecessor
        self.successors = successors
        self.replicas = replicas
    }

    /// A node without a ring: its own successor, one copy.
    public static func alone(_ node: NodeIdentity) -> RingPosition {
        RingPosition(predecessor: nil, successors: [node], replicas: 1)
    }
}
