/// The seam through which a node asks "who keeps this id?".
///
/// A ring of one node owns every id. The live ring (a later step) implements the same protocol from its successor
/// list, so the storage and RPC code that calls `replicas(for:)` does not change when the ring arrives.
public protocol Placement: Sendable {
    /// The nodes that keep `id`: its owner (the successor of `id`) first, then up to `count - 1` distinct others.
    func replicas(for id: Identifier, count: Int) -> [NodeIdentity]
}

/// A node as the ring sees it: its ring id and the address it serves on. Virtual nodes of one process share an address,
/// so the address is what tells physical nodes apart.
public struct NodeIdentity: Hashable, Sendable {
    public var id: Identifier
    public var address: String
    /// The node's long-term Ed25519 public key, when known: successor-list entries carry it, so nodes can pin each
    /// other's keys for the secure channel. A node's id must be BLAKE2b-256 of this key (checked where keys are proved).
    public var key: [UInt8]?

    public init(id: Identifier, address: String, key: [UInt8]? = nil) {
        self.id = id
        self.address = address
        self.key = key
    }
}

/// Placement on a ring of one node: that node keeps everything.
public struct SingleNodePlacement: Placement {
    public let node: NodeIdentity

    public init(node: NodeIdentity) {
        self.node = node
    }

    public func replicas(for id: Identifier, count: Int) -> [NodeIdentity] {
        count > 0 ? [node] : []
    }
}

/// Placement over a fixed, known set of nodes: the owner of an id is its successor on the ring, then the next nodes
/// clockwise that are other physical nodes (a virtual node of an already chosen process is skipped). This is the rule
/// the live ring applies to an owner's successor list.
public struct SortedRingPlacement: Placement {
    public let nodes: [NodeIdentity]

    public init(nodes: [NodeIdentity]) {
        var seen = Set<Identifier>()
        self.nodes = nodes.filter { seen.insert($0.id).inserted }.sorted { $0.id < $1.id }
    }

    /// Index of the successor of `id` (the first node with an id >= `id`, wrapping).
    public func ownerIndex(of id: Identifier) -> Int? {
        guard !nodes.isEmpty else { return nil }
        var low = 0
        var high = nodes.count
        while low < high {
            let mid = (low + high) / 2
            if nodes[mid].id < id { low = mid + 1 } else { high = mid }
        }
        return low == nodes.count ? 0 : low
    }

    public func replicas(for id: Identifier, count: Int) -> [NodeIdentity] {
        guard let start = ownerIndex(of: id), count > 0 else { return [] }
        return ReplicaSelection.distinctPhysical((0..<nodes.count).lazy.map { nodes[(start + $0) % nodes.count] }, count: count)
    }
}

/// Choosing k replicas from an owner and the nodes that follow it.
public enum ReplicaSelection {
    /// The first `count` nodes of `ordered` (the owner, then its successors) that are distinct physical nodes.
    public static func distinctPhysical<S: Sequence>(_ ordered: S, count: Int) -> [NodeIdentity] where S.Element == NodeIdentity {
        var chosen: [NodeIdentity] = []
        var addresses = Set<String>()
        for node in ordered where chosen.count < count {
            if addresses.insert(node.address).inserted { chosen.append(node) }
        }
        return chosen
    }
}
