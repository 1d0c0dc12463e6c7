import ChordRing

/// The truth a simulation is checked against: the sorted ring of live members.
public struct RingOracle {
    public let members: [NodeIdentity]
    let placement: SortedRingPlacement

    public init(members: [NodeIdentity]) {
        placement = SortedRingPlacement(nodes: members)
        self.members = placement.nodes
    }

    /// The true owner of `key`: its successor among the live members.
    public func owner(of key: Identifier) -> NodeIdentity? {
        placement.ownerIndex(of: key).map { members[$0] }
    }

    /// Describes what is wrong with the nodes' pointers; empty when every successor, predecessor and successor list
    /// matches the sorted ring exactly (so the ring is one cycle of exactly the live members).
    public func problems(in nodes: [Identifier: ChordNode], successorListLength r: Int, limit: Int = 10) -> [String] {
        var out: [String] = []
        let n = members.count
        for (i, member) in members.enumerated() {
            guard let node = nodes[member.id] else { continue }
            let expectedSuccessors: [NodeIdentity] =
                n == 1 ? [member] : (1...min(r, n - 1)).map { members[(i + $0) % n] }
            let expectedPredecessor: NodeIdentity? = n == 1 ? nil : members[(i - 1 + n) % n]
            if node.successors != expectedSuccessors {
                out.append("\(member.id.shortHex(8)): successors \(node.successors.prefix(3).map { $0.id.shortHex(6) }) expected \(expectedSuccessors.prefix(3).map { $0.id.shortHex(6) }) (\(node.successors.count)/\(expectedSuccessors.count))")
            }
            if n > 1 && node.predecessor != expectedPredecessor {
                out.append("\(member.id.shortHex(8)): predecessor \(node.predecessor?.id.shortHex(6) ?? "nil") expected \(expectedPredecessor?.id.shortHex(6) ?? "nil")")
            }
            if out.count >= limit { break }
        }
        return out
    }
}

extension ChordSimulator {
    /// True when every live node has joined and all pointers match the sorted ring.
    public func isConverged() -> Bool {
        let live = nodes.values.filter { !crashed.contains($0.me.id) }
        guard live.allSatisfy(\.isJoined) else { return false }
        return oracle.problems(in: nodes, successorListLength: settings.chord.successorListLength, limit: 1).isEmpty
    }
}
