/// The seam through which a node asks "who keeps this id?".
///
/// A ring of one node owns every id. The live ring (a later step) implements the same protocol from its successor
/// list, so the storage and RPC code that calls `replicas(for:)` does not change when the ring arrives.
public protocol Placement: Sendable {
    /// The nodes that keep `id`: its owner (the successor of `id`) first, then up to `count - 1` distinct others.
    func replicas(for id: Identifier, count: Int) -> [NodeIdentity]
}

/// A node as placement sees it: its ring id and the address it serves on.
public struct NodeIdentity: Hashable, Sendable {
    public var id: Identifier
    public var address: String

    public init(id: Identifier, address: String) {
        self.id = id
        self.address = address
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
/// clockwise. This is the rule the live ring applies to its successor list.
public struct SortedRingPlacement: Placement {
    public let nodes: [NodeIdentity]

    /// Nodes listed twice (the same ring id) are kept once, so that `replicas` names distinct nodes.
    public init(nodes: [NodeIdentity]) {
        var seen = Set<Identifier>()
        self.nodes = nodes.filter { seen.insert($0.id).inserted }.sorted { $0.id < $1.id }
    }

    public func replicas(for id: Identifier, count: Int) -> [NodeIdentity] {
        guard !nodes.isEmpty, count > 0 else { return [] }
        let start = nodes.firstIndex { $0.id >= id } ?? 0
        return (0..<min(count, nodes.count)).map { nodes[(start + $0) % nodes.count] }
    }
}
