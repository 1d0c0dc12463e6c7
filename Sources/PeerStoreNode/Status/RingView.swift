import ChordRing
import PeerStoreWire

/// The ring as a status page shows it: every node a ring walk reached, in ring order, with where it sits on the
/// circle, the share of the id space it owns (from its predecessor to itself), what it stores and whether it looks
/// healthy. A pure value (`RingSurvey.walk` gathers the statuses); `StatusPage` draws it, and it is the JSON endpoint's
/// body as it is.
public struct RingView: Codable, Equatable, Sendable {
    public struct Node: Codable, Equatable, Sendable {
        public var id: String
        public var address: String
        /// Where the node sits, as a fraction of the ring from id 0 (0 ..< 1).
        public var position: Double
        /// The fraction of the id space it owns: from its predecessor (exclusive) to itself.
        public var share: Double
        public var blocks: UInt64
        public var bytes: UInt64
        public var replicas: Int?
        public var successorsKnown: Int
        /// What it did lately (nil from a build before nodes told it).
        public var activity: NodeActivity?
        /// Why it looks unwell, if it does: no predecessor, fewer successors than copies, not the walk's next, copies
        /// its last repair round could not send.
        public var problems: [String]
    }

    public var nodes: [Node]
    /// Whether the walk came back to its start (false: a node did not answer, and the ring shown is partial).
    public var complete: Bool
    /// When the walk was made (unix seconds).
    public var takenAt: Int64

    public init(statuses: [NodeStatus], complete: Bool, takenAt: Int64) {
        self.complete = complete
        self.takenAt = takenAt
        nodes = statuses.enumerated().map { i, s in
            var problems: [String] = []
            if s.predecessor == nil { problems.append("no predecessor yet") }
            if let replicas = s.replicas, s.successors.count < replicas - 1 {
                problems.append("knows \(s.successors.count) successors for \(replicas) copies")
            }
            if statuses.count > 1, s.successors.first?.id != statuses[(i + 1) % statuses.count].node.id, complete {
                problems.append("its successor is not the next node of the walk")
            }
            if let backlog = s.activity?.repairBacklog, backlog > 0 {
                problems.append("\(backlog) replica cop\(backlog == 1 ? "y" : "ies") not yet repaired")
            }
            let here = Self.fraction(s.node.id)
            let share: Double
            if let p = s.predecessor, p.id != s.node.id {
                let from = Self.fraction(p.id)
                share = here > from ? here - from : 1 - from + here
            } else {
                share = 1
            }
            return Node(id: s.node.id.hex, address: s.node.address, position: here, share: share, blocks: s.blocks, bytes: s.bytes,
                        replicas: s.replicas, successorsKnown: s.successors.count, activity: s.activity, problems: problems)
        }
    }

    /// An id as a fraction of the ring (its first 8 bytes over 2^64).
    static func fraction(_ id: Identifier) -> Double {
        let top = id.bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Double(top) / 18_446_744_073_709_551_616.0
    }

    public var healthy: Bool { complete && nodes.allSatisfy(\.problems.isEmpty) }
}
